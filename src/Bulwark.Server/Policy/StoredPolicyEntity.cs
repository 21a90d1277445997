namespace Bulwark.Server.Policy;

/// <summary>One version of a named policy document. Versions are only added; the highest is the one in force.</summary>
public sealed class StoredPolicyEntity
{
    public required string Name { get; set; }

    public int Version { get; set; }

    /// <summary>The YAML document as it was stored.</summary>
    public required string Content { get; set; }

    /// <summary>SHA-256 of <see cref="Content"/> (UTF-8), lower-case hex.</summary>
    public required string ContentHash { get; set; }

    /// <summary>Who stored it: a principal name, or <c>system</c> for <c>policy.file</c> at start.</summary>
    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
