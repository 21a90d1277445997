namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>One stored advisory: its identity within a source, the dates reports show, and the compact OSV document.</summary>
public sealed class AdvisoryEntity
{
    public required string Source { get; set; }

    public required string Id { get; set; }

    public DateTimeOffset? Modified { get; set; }

    public DateTimeOffset? Published { get; set; }

    public bool Withdrawn { get; set; }

    /// <summary>The advisory as written by <see cref="Osv.OsvWriter"/>.</summary>
    public required string Document { get; set; }
}
