namespace Bulwark.Server.Policy;

/// <summary>A decision about an image in a repository, as stored.</summary>
public sealed record ImageDecision(
    string Repository,
    string Digest,
    DecisionStatus Status,
    IReadOnlyList<string> Reasons,
    string PolicyVersion,
    DateTimeOffset EvaluatedAt)
{
    /// <summary>Whether pulling the image needs quarantine/read.</summary>
    public bool Quarantined => Status != DecisionStatus.Pass;
}
