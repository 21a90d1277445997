namespace Bulwark.Server.Policy;

/// <summary>The answer of <c>GET /api/v1/images/{repository}/decisions/{digest}</c>: the current decision, whether the image is held, and the history (newest first).</summary>
public sealed record ImageDecisionReport(string Repository, string Digest, bool Quarantined, ImageDecisionView Current, IReadOnlyList<ImageDecisionView> History);
