namespace Bulwark.Server.Scanning;

/// <summary>What an advisory update did: each source's import, and the re-match when one ran.</summary>
public sealed record AdvisoryUpdateReport(IReadOnlyList<AdvisorySourceReport> Sources, RematchSummary? Rematch);
