namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>What to record about a source when its advisories are replaced.</summary>
public sealed record AdvisorySourceUpdate(string Name, string? Url = null, string? ETag = null, string? LastModified = null);
