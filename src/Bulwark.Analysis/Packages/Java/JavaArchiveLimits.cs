namespace Bulwark.Analysis.Packages.Java;

/// <summary>Bounds on reading one archive of the image and everything nested in it (zip bombs, entry floods).</summary>
public sealed record JavaArchiveLimits
{
    /// <summary>Archives inside archives: <c>app.war!/WEB-INF/lib/a.jar</c> is depth 1.</summary>
    public int MaxDepth { get; init; } = 4;

    /// <summary>Entries of one archive's central directory.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Uncompressed bytes read from one top-level archive and all it nests.</summary>
    public long MaxTotalBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>One nested archive, held in memory while it is read.</summary>
    public long MaxNestedArchiveBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>One <c>pom.properties</c> or <c>MANIFEST.MF</c>.</summary>
    public int MaxMetadataBytes { get; init; } = 1024 * 1024;

    /// <summary>Archives read from one top-level archive, itself included.</summary>
    public int MaxArchives { get; init; } = 10_000;

    public static JavaArchiveLimits Default { get; } = new();
}
