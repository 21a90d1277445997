namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// What a scan must say about the database it matched against: an empty or stale database is reported in every
/// result, never shown as "0 vulnerabilities".
/// </summary>
public sealed record AdvisoryDatabaseStatus(IReadOnlyList<AdvisorySource> Sources, DateTimeOffset? OldestImport, bool IsStale)
{
    public bool IsEmpty => Sources.Sum(s => s.AdvisoryCount) == 0;

    /// <summary>The status of a database with these sources (in name order) at <paramref name="now"/>.</summary>
    public static AdvisoryDatabaseStatus Of(IReadOnlyList<AdvisorySource> sources, TimeSpan maxAge, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sources);
        DateTimeOffset? oldest = sources.Count == 0 ? null : sources.Min(s => s.ImportedAt);
        return new AdvisoryDatabaseStatus(sources, oldest, oldest is null || now - oldest > maxAge);
    }
}
