using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Configuration;

/// <summary>The fixed part of a check: stable id, severity, title and remediation.</summary>
public sealed record ConfigCheck(string Id, FindingSeverity Severity, string Title, string Remediation)
{
    internal ConfigFinding Finding(string description, string location, string? path = null, int? layerIndex = null) => new()
    {
        Id = Id,
        Severity = Severity,
        Title = Title,
        Description = description,
        Location = location,
        Path = path,
        LayerIndex = layerIndex,
        Remediation = Remediation,
    };
}
