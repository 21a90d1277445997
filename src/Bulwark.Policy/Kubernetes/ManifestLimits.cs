namespace Bulwark.Policy.Kubernetes;

/// <summary>Bounds on what the manifest reader accepts from untrusted files; exceeding one is a <see cref="ManifestException"/>.</summary>
public sealed record ManifestLimits
{
    public static ManifestLimits Default { get; } = new();

    /// <summary>Largest manifest file read (default 16 MiB).</summary>
    public long MaxFileBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most YAML documents in one file, empty ones included (default 10,000).</summary>
    public int MaxDocuments { get; init; } = 10_000;

    /// <summary>Most nodes (scalars, sequences, mappings, aliases expanded) in one file (default 2,000,000).</summary>
    public int MaxNodes { get; init; } = 2_000_000;

    /// <summary>Deepest nesting of sequences and mappings (default 200).</summary>
    public int MaxDepth { get; init; } = 200;

    /// <summary>Most objects in one file, the items of <c>kind: List</c> included (default 10,000).</summary>
    public int MaxObjects { get; init; } = 10_000;
}
