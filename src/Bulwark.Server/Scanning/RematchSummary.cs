namespace Bulwark.Server.Scanning;

/// <summary>What one re-match of every stored inventory did.</summary>
public sealed record RematchSummary(int Images, int NewFindings, int Failed, TimeSpan Elapsed);
