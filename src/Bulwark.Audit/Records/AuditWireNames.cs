namespace Bulwark.Audit.Records;

/// <summary>The serialized names of the audit enums; they are part of the hashed form and never change.</summary>
public static class AuditWireNames
{
    public static string ToWire(this AuditActorKind kind) => kind switch
    {
        AuditActorKind.System => "system",
        AuditActorKind.User => "user",
        AuditActorKind.ServicePrincipal => "service-principal",
        AuditActorKind.Token => "token",
        AuditActorKind.Anonymous => "anonymous",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown actor kind"),
    };

    public static string ToWire(this AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => "success",
        AuditOutcome.Failure => "failure",
        AuditOutcome.Denied => "denied",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown outcome"),
    };

    public static bool TryParseActorKind(string? value, out AuditActorKind kind)
    {
        kind = value switch
        {
            "system" => AuditActorKind.System,
            "user" => AuditActorKind.User,
            "service-principal" => AuditActorKind.ServicePrincipal,
            "token" => AuditActorKind.Token,
            "anonymous" => AuditActorKind.Anonymous,
            _ => (AuditActorKind)(-1),
        };
        return (int)kind >= 0;
    }

    public static bool TryParseOutcome(string? value, out AuditOutcome outcome)
    {
        outcome = value switch
        {
            "success" => AuditOutcome.Success,
            "failure" => AuditOutcome.Failure,
            "denied" => AuditOutcome.Denied,
            _ => (AuditOutcome)(-1),
        };
        return (int)outcome >= 0;
    }
}
