namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>The vulnerable package as the inventory found it, with where it lives in the image.</summary>
public sealed record ScannedPackage
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>The purl type: <c>deb</c>, <c>apk</c>, <c>rpm</c>, <c>npm</c>, <c>pypi</c>, <c>golang</c>…</summary>
    public required string Type { get; init; }

    public required string Purl { get; init; }

    /// <summary>The OSV ecosystem it was matched in (<c>Debian:12</c>, <c>PyPI</c>).</summary>
    public required string Ecosystem { get; init; }

    public string? SourceName { get; init; }

    public string? SourceVersion { get; init; }

    /// <summary>The package database, manifest or lock file, or binary the package was found in.</summary>
    public required string FoundIn { get; init; }

    /// <summary>The layer that introduced the package; null when unknown.</summary>
    public int? LayerIndex { get; init; }

    /// <summary>That layer's blob digest (as a registry names it), else its diff id.</summary>
    public string? LayerDigest { get; init; }

    /// <summary>That layer's diff id.</summary>
    public string? LayerDiffId { get; init; }

    /// <summary>True when the package comes from a base image layer; null when not known.</summary>
    public bool? InBaseImage { get; init; }
}
