namespace Bulwark.Vulnerabilities.Osv;

/// <summary>Bounds on one OSV document, so that a hostile feed cannot exhaust memory or CPU.</summary>
public sealed record OsvLimits
{
    public static OsvLimits Default { get; } = new();

    /// <summary>Largest accepted document. The biggest real records (kernel advisories with long version lists) are a few MiB.</summary>
    public long MaxDocumentBytes { get; init; } = 16 * 1024 * 1024;

    public int MaxAffected { get; init; } = 10_000;

    public int MaxRangesPerAffected { get; init; } = 1_000;

    public int MaxEventsPerRange { get; init; } = 10_000;

    public int MaxVersionsPerAffected { get; init; } = 200_000;

    public int MaxAliases { get; init; } = 1_000;

    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>References kept per advisory; the rest are dropped, not refused (they only feed reports).</summary>
    public int MaxReferences { get; init; } = 64;
}
