namespace Bulwark.Identity.Storage;

/// <summary>One line of a scope map: a repository pattern and the actions granted on it (space-separated names).</summary>
public sealed class ScopeMapRuleEntity
{
    public Guid Id { get; set; }

    public Guid ScopeMapId { get; set; }

    public required string Pattern { get; set; }

    public required string Actions { get; set; }
}
