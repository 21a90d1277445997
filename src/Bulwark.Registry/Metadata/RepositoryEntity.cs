namespace Bulwark.Registry.Metadata;

/// <summary>A repository; created on its first push.</summary>
public sealed class RepositoryEntity
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
