namespace Bulwark.Identity.Storage;

/// <summary>A custom set of repository grants (pattern → actions), assignable to principals and binding repository tokens.</summary>
public sealed class ScopeMapEntity
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<ScopeMapRuleEntity> Rules { get; } = [];
}
