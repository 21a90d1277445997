namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>What to record about a source when its advisories are replaced.</summary>
public sealed record AdvisorySourceUpdate(string Name, string? Url = null, string? ETag = null, string? LastModified = null)
{
    /// <summary>
    /// Whether to compare the new advisories with those they replace and report the change set (the server does, to
    /// re-match only the images an update can change; the CLI does not need it).
    /// </summary>
    public bool TrackChanges { get; init; }
}
