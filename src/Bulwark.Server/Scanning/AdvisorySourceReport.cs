namespace Bulwark.Server.Scanning;

/// <summary>One source's import: the counts, or why it failed (the previous advisories of that source stay in place).</summary>
public sealed record AdvisorySourceReport(string Name, bool Unchanged, int Advisories, int Rejected, string? Error);
