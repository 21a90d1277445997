namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>The identity of what was scanned, copied from the inventory.</summary>
public sealed record ScanTarget
{
    /// <summary>The source as the caller named it (a reference, a path).</summary>
    public required string Source { get; init; }

    /// <summary>Digest of the image manifest; null for a root filesystem or a directory of lock files.</summary>
    public string? ManifestDigest { get; init; }

    public string? ConfigDigest { get; init; }

    /// <summary><c>os/arch[/variant]</c>, when the source says.</summary>
    public string? Platform { get; init; }

    public ScanOperatingSystem? OperatingSystem { get; init; }

    /// <summary>The image's layers from the base (index 0), for reports that name the layer of a finding.</summary>
    public IReadOnlyList<ScanLayer> Layers { get; init; } = [];
}
