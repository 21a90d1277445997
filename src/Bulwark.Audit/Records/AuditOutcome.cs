namespace Bulwark.Audit.Records;

/// <summary>How the action ended. Serialized as <c>success</c>, <c>failure</c> or <c>denied</c>.</summary>
public enum AuditOutcome
{
    /// <summary>The action was carried out.</summary>
    Success,

    /// <summary>The action was attempted and failed (bad credentials, invalid input, an error).</summary>
    Failure,

    /// <summary>The principal was authenticated but not permitted to do it.</summary>
    Denied,
}
