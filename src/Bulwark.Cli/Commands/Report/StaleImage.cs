namespace Bulwark.Cli.Commands.Report;

/// <summary>A tagged image that is older than the limit, or whose base image tag now points to another digest.</summary>
internal sealed record StaleImage(string Repository, string Tag, string Digest, DateTimeOffset? Created, int? AgeDays, bool TooOld,
    string? BaseName, string? BuiltOnDigest, string? CurrentBaseDigest)
{
    public bool BaseUpdated => CurrentBaseDigest is not null;
}
