namespace Bulwark.Audit.Records;

/// <summary>Who acted: a principal id (user name, service-principal client id, token id) and its kind.</summary>
public sealed record AuditActor(AuditActorKind Kind, string? Id)
{
    /// <summary>Bulwark itself (retention, scheduled jobs, first-start setup).</summary>
    public static AuditActor System { get; } = new(AuditActorKind.System, null);

    /// <summary>An unauthenticated caller.</summary>
    public static AuditActor Anonymous { get; } = new(AuditActorKind.Anonymous, null);

    public static AuditActor User(string id) => new(AuditActorKind.User, id);

    public static AuditActor ServicePrincipal(string id) => new(AuditActorKind.ServicePrincipal, id);

    public static AuditActor Token(string id) => new(AuditActorKind.Token, id);
}
