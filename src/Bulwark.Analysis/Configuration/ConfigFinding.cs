using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Configuration;

/// <summary>A risky image configuration: a check id (<c>BWK-CFG-001</c>), what and where, and how to fix it.</summary>
public sealed record ConfigFinding
{
    public required string Id { get; init; }

    public required FindingSeverity Severity { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    /// <summary>Config key (<c>config.User</c>, <c>config.ExposedPorts[22/tcp]</c>, <c>history[2].created_by</c>) or file path.</summary>
    public required string Location { get; init; }

    /// <summary>The file, for checks on the final view.</summary>
    public string? Path { get; init; }

    /// <summary>The layer that wrote the file, or whose history entry is at fault.</summary>
    public int? LayerIndex { get; init; }

    public required string Remediation { get; init; }
}
