namespace Bulwark.Audit.Records;

/// <summary>What kind of principal acted. Serialized as <c>user</c>, <c>service-principal</c>, <c>token</c>,
/// <c>anonymous</c> or <c>system</c>.</summary>
public enum AuditActorKind
{
    System,
    User,
    ServicePrincipal,
    Token,
    Anonymous,
}
