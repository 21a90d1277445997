namespace Bulwark.Audit.Export;

/// <summary>
/// One line of an export as parsed: either a record (every member but <see cref="Checkpoint"/>) or
/// <c>{"checkpoint":{…}}</c>. Unknown and duplicate members are refused by the parser.
/// </summary>
internal sealed class AuditExportLine
{
    public string? Action { get; init; }

    public AuditExportActor? Actor { get; init; }

    public string? ClientAddress { get; init; }

    public Dictionary<string, string>? Details { get; init; }

    public string? Hash { get; init; }

    public string? Outcome { get; init; }

    public string? PreviousHash { get; init; }

    public string? Reason { get; init; }

    public long? Sequence { get; init; }

    public string? Target { get; init; }

    public string? Time { get; init; }

    public string? UserAgent { get; init; }

    public int? Version { get; init; }

    public AuditCheckpointDocument? Checkpoint { get; init; }
}
