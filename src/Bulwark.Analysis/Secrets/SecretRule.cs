using System.Text.RegularExpressions;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Secrets;

/// <summary>
/// One kind of credential: a regular expression whose <c>secret</c> group is the credential, keywords that must
/// appear in a line before the expression runs on it (case-insensitive), and an optional check that turns a match
/// into the secret to report (or rejects it).
/// </summary>
internal sealed class SecretRule
{
    public required string Id { get; init; }

    public required string Category { get; init; }

    public required FindingSeverity Severity { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<string> Keywords { get; init; }

    public required Regex Pattern { get; init; }

    /// <summary>
    /// Given the whole text and the match, the secret to report, or null to drop the match (a placeholder, a
    /// header without a key body). By default the <c>secret</c> group.
    /// </summary>
    public Func<string, Match, string?>? Resolve { get; init; }

    /// <summary>
    /// True when <see cref="Resolve"/> reads the text around the match (a private key's body on the next lines, the
    /// key of a service account file): the expression then runs on the whole text, never on a copy of one window.
    /// </summary>
    public bool NeedsWholeText { get; init; }

    /// <summary>Generic rules run after the specific ones and never report a span a specific rule reported.</summary>
    public bool Generic { get; init; }

    public string? SecretOf(string text, Match match) =>
        Resolve is not null ? Resolve(text, match)
        : match.Groups["secret"] is { Success: true } group ? group.Value
        : match.Value;
}
