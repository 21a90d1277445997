namespace Bulwark.Policy.Images;

/// <summary>
/// The verdict of a policy on one image: <see cref="PolicyOutcome.Fail"/> when any enforced rule failed; every
/// applicable rule's results; <see cref="Notes"/> such as "no rule applies".
/// </summary>
public sealed record PolicyDecision
{
    public required PolicyOutcome Outcome { get; init; }

    public required string PolicyName { get; init; }

    /// <summary>The <see cref="ImagePolicyDocument.ContentHash"/> of the policy version that decided.</summary>
    public required string PolicyHash { get; init; }

    public required DateTimeOffset EvaluatedAt { get; init; }

    public required IReadOnlyList<RuleResult> Rules { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The failed audit rules (reported, not blocking).</summary>
    public IEnumerable<RuleResult> Warnings => Rules.Where(r => r.Mode == PolicyMode.Audit && !r.Passed);

    /// <summary>The failed enforced rules (why the decision is <see cref="PolicyOutcome.Fail"/>).</summary>
    public IEnumerable<RuleResult> Failures => Rules.Where(r => r.Mode == PolicyMode.Enforce && !r.Passed);

    /// <summary>One line per failed check of an enforced rule, for error details (e.g. a registry's 403 DENIED).</summary>
    public IReadOnlyList<string> FailureReasons =>
        [.. Failures.SelectMany(r => r.Checks.Where(c => !c.Passed).SelectMany(c => c.Reasons.Select(reason => $"{r.Name}: {reason}")))];
}
