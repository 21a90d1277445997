using Bulwark.Analysis.Configuration;
using Bulwark.Analysis.Executables;
using Bulwark.Analysis.Secrets;
using Bulwark.Oci;

namespace Bulwark.Analysis.Inventory;

/// <summary>Everything analysis found in one image (one platform of an index, or one root filesystem).</summary>
public sealed record ImageInventory
{
    /// <summary>What was analysed, as the caller named it (a reference, a path).</summary>
    public required string Source { get; init; }

    /// <summary>Digest of the image manifest; null for a root filesystem directory.</summary>
    public string? ManifestDigest { get; init; }

    public string? ConfigDigest { get; init; }

    public Platform? Platform { get; init; }

    public ImageConfig? Config { get; init; }

    public OperatingSystemInfo? OperatingSystem { get; init; }

    public required IReadOnlyList<LayerInfo> Layers { get; init; }

    public required IReadOnlyList<Package> Packages { get; init; }

    /// <summary>The files analyzers read (package databases, release files…), from the final view.</summary>
    public required IReadOnlyList<InventoryFile> Files { get; init; }

    /// <summary>Every executable (ELF or <c>#!</c> script with an execute bit) of the final view, in path order.</summary>
    public IReadOnlyList<Executable> Executables { get; init; } = [];

    /// <summary>Secrets in any layer (also ones a later layer deleted) and in the config; matches are redacted.</summary>
    public IReadOnlyList<SecretFinding> Secrets { get; init; } = [];

    /// <summary>Risky configuration: root user, secrets in ENV, exposed ports, setuid and world-writable files…</summary>
    public IReadOnlyList<ConfigFinding> ConfigFindings { get; init; } = [];

    /// <summary>Things that limited the analysis without making it fail (an unreadable database, a skipped file).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}
