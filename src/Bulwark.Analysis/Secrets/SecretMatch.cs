using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Secrets;

/// <summary>A secret found in a text: the rule, where (1-based line) and the redacted value — never the value itself.</summary>
public sealed record SecretMatch
{
    public required string RuleId { get; init; }

    public required string Category { get; init; }

    public required FindingSeverity Severity { get; init; }

    public required string Title { get; init; }

    public required int Line { get; init; }

    /// <summary>The secret as <see cref="SecretRedaction.Redact"/> shows it.</summary>
    public required string Match { get; init; }
}
