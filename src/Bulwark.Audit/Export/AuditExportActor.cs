namespace Bulwark.Audit.Export;

/// <summary>The <c>actor</c> member of an exported record.</summary>
internal sealed class AuditExportActor
{
    public string? Id { get; init; }

    public string? Kind { get; init; }
}
