namespace Bulwark.Identity.Management;

/// <summary>A scope-map line: a repository pattern and action names (<c>content/read</c>…).</summary>
public sealed record ScopeMapRule(string Pattern, IReadOnlyList<string> Actions);
