namespace Bulwark.Registry.Metadata;

/// <summary>
/// A blob upload in progress. <see cref="Offset"/> counts the bytes durably written; after a crash the data
/// file is cut back to it, so a session survives a restart and resumes where the client was told it stood.
/// </summary>
public sealed class UploadSessionEntity
{
    public required string Id { get; set; }

    public long RepositoryId { get; set; }

    public long Offset { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastActivityAt { get; set; }
}
