using Bulwark.Vulnerabilities.Advisories;

namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>The advisory database a scan matched against. Reports show <see cref="IsEmpty"/> and <see cref="IsStale"/> loudly.</summary>
public sealed record ScanDatabaseStatus
{
    /// <summary>No advisory at all: nothing can have been found, whatever the image contains.</summary>
    public required bool IsEmpty { get; init; }

    /// <summary>The oldest source import is older than <see cref="MaxAge"/> (or nothing was ever imported).</summary>
    public required bool IsStale { get; init; }

    public required TimeSpan MaxAge { get; init; }

    /// <summary>The oldest import among the sources (the database is as fresh as its stalest source); null when empty.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Time since <see cref="UpdatedAt"/> when the scan ran.</summary>
    public TimeSpan? Age { get; init; }

    public required int AdvisoryCount { get; init; }

    public required IReadOnlyList<AdvisorySource> Sources { get; init; }

    /// <summary>The advisory ecosystems (with release: <c>Debian:12</c>) the scan needed but the database has no advisory for.</summary>
    public IReadOnlyList<string> MissingEcosystems { get; init; } = [];
}
