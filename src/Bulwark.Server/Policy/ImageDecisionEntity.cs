namespace Bulwark.Server.Policy;

/// <summary>One stored decision about an image in a repository. Rows are only added: the newest (highest id) is current.</summary>
public sealed class ImageDecisionEntity
{
    public long Id { get; set; }

    public required string Repository { get; set; }

    public required string ManifestDigest { get; set; }

    public DecisionStatus Status { get; set; }

    /// <summary>The reasons as a JSON array of strings.</summary>
    public required string Reasons { get; set; }

    /// <summary>The policies evaluated, as <c>name@version</c> joined by commas; empty for a pending decision.</summary>
    public required string PolicyVersion { get; set; }

    public DateTimeOffset EvaluatedAt { get; set; }
}
