namespace Bulwark.Policy.Images;

/// <summary>Bounds on what a policy document may hold; exceeding one is an error in the document, never unbounded work.</summary>
public sealed record ImagePolicyLimits
{
    public static ImagePolicyLimits Default { get; } = new();

    /// <summary>Largest policy text, in UTF-16 characters (default 1 MiB).</summary>
    public int MaxCharacters { get; init; } = 1024 * 1024;

    /// <summary>Most rules in one document (default 1,000).</summary>
    public int MaxRules { get; init; } = 1_000;

    /// <summary>Most entries in one list of a rule: repositories, registries, base images, keys, allowlist (default 1,000).</summary>
    public int MaxListItems { get; init; } = 1_000;

    /// <summary>Most YAML nodes (default 200,000).</summary>
    public int MaxNodes { get; init; } = 200_000;

    /// <summary>Deepest nesting of sequences and mappings (default 16; a policy needs 7).</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>Longest scalar other than a PEM key (default 1,024 characters).</summary>
    public int MaxScalarLength { get; init; } = 1_024;
}
