namespace Bulwark.Server.Policy;

/// <summary>One decision as the API shows it.</summary>
public sealed record ImageDecisionView(string Status, IReadOnlyList<string> Reasons, string Policy, DateTimeOffset EvaluatedAt)
{
    public static ImageDecisionView From(ImageDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new(ImageDecisionStore.StatusName(decision.Status), decision.Reasons, decision.PolicyVersion, decision.EvaluatedAt);
    }
}
