namespace Bulwark.Identity.Storage;

/// <summary>A repository pattern anonymous callers may pull from.</summary>
public sealed class PublicPatternEntity
{
    public Guid Id { get; set; }

    public required string Pattern { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
