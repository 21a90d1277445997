namespace Bulwark.Analysis.Inventory;

/// <summary>An installed package: an OS package from a package database, or a language package.</summary>
public sealed record Package
{
    /// <summary>The package URL type (<see cref="PackageTypes"/>): <c>deb</c>, <c>apk</c>, <c>rpm</c>, <c>npm</c>…</summary>
    public required string Type { get; init; }

    public required string Name { get; init; }

    /// <summary>The version as the ecosystem writes it: dpkg <c>[epoch:]upstream-revision</c>, rpm <c>[epoch:]version-release</c>, apk <c>version-rN</c>.</summary>
    public required string Version { get; init; }

    public string? Architecture { get; init; }

    /// <summary>The source package (Debian <c>Source:</c>, apk <c>origin</c>, rpm source rpm); equals the name when the package is its own source.</summary>
    public string? SourceName { get; init; }

    public string? SourceVersion { get; init; }

    public IReadOnlyList<string> Licenses { get; init; } = [];

    /// <summary>Files the package owns, as absolute paths inside the image (<c>/usr/bin/bash</c>).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The layer that introduced the package at this version; null when unknown.</summary>
    public int? LayerIndex { get; init; }

    /// <summary>That layer's diff id (or blob digest when the diff id is unknown).</summary>
    public string? LayerDigest { get; init; }

    /// <summary>Package URLs of the packages this one depends on directly, where the source records it (lock files, package.json).</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>True for a direct dependency of the project, false for a transitive one; null when unknown (installed packages).</summary>
    public bool? Direct { get; init; }

    /// <summary>True for a development-only dependency (devDependencies, dev groups); null when unknown.</summary>
    public bool? Development { get; init; }

    /// <summary>Where the package was found: the database or manifest file path.</summary>
    public required string FoundIn { get; init; }

    public required string Purl { get; init; }
}
