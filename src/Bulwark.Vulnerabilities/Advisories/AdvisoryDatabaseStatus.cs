namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// What a scan must say about the database it matched against: an empty or stale database is reported in every
/// result, never shown as "0 vulnerabilities".
/// </summary>
public sealed record AdvisoryDatabaseStatus(IReadOnlyList<AdvisorySource> Sources, DateTimeOffset? OldestImport, bool IsStale)
{
    public bool IsEmpty => Sources.Sum(s => s.AdvisoryCount) == 0;
}
