namespace Bulwark.Registry.Metadata;

/// <summary>A blob present in the content-addressed store.</summary>
public sealed class BlobEntity
{
    public required string Digest { get; set; }

    public long Size { get; set; }

    /// <summary>Last time an upload or mount used this blob; garbage collection keeps it for a grace period after.</summary>
    public DateTimeOffset TouchedAt { get; set; }
}
