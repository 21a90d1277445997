namespace Bulwark.Vulnerabilities.Import;

/// <summary>Bounds on an OSV bulk archive (<c>all.zip</c>) so that a zip bomb is refused rather than inflated.</summary>
public sealed record ArchiveLimits
{
    public static ArchiveLimits Default { get; } = new();

    public int MaxEntries { get; init; } = 2_000_000;

    /// <summary>Largest uncompressed entry; larger entries are rejected without being inflated.</summary>
    public long MaxEntryBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest uncompressed total.</summary>
    public long MaxTotalBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Uncompressed/compressed ratio above which an entry is treated as a zip bomb (JSON compresses 5–20×).</summary>
    public int MaxCompressionRatio { get; init; } = 1000;
}
