using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Secrets;

/// <summary>
/// A secret found in a layer file or in the image config. <see cref="Match"/> is redacted
/// (<see cref="SecretRedaction"/>); the full value is never kept.
/// </summary>
public sealed record SecretFinding
{
    public required string RuleId { get; init; }

    public required string Category { get; init; }

    public required FindingSeverity Severity { get; init; }

    public required string Title { get; init; }

    /// <summary>The file (relative path) for a finding in a layer; null for the config.</summary>
    public string? Path { get; init; }

    /// <summary>Where in the image config (<c>config.Env[DB_PASSWORD]</c>, <c>history[3].created_by</c>); null for a file.</summary>
    public string? ConfigLocation { get; init; }

    /// <summary>The layer whose blob holds the file (or that the history entry created); null for env and labels.</summary>
    public int? LayerIndex { get; init; }

    /// <summary>1-based line in the file or config value.</summary>
    public required int Line { get; init; }

    public required string Match { get; init; }

    internal static SecretFinding From(SecretMatch match, string? path, string? configLocation, int? layerIndex) => new()
    {
        RuleId = match.RuleId,
        Category = match.Category,
        Severity = match.Severity,
        Title = match.Title,
        Path = path,
        ConfigLocation = configLocation,
        LayerIndex = layerIndex,
        Line = match.Line,
        Match = match.Match,
    };
}
