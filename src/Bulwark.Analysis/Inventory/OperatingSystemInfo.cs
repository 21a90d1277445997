namespace Bulwark.Analysis.Inventory;

/// <summary>The distribution an image is built on, from <c>os-release</c> and the distribution's own release files.</summary>
public sealed record OperatingSystemInfo
{
    /// <summary>os-release <c>ID</c>: <c>debian</c>, <c>ubuntu</c>, <c>alpine</c>, <c>rhel</c>, <c>fedora</c>…</summary>
    public required string Id { get; init; }

    /// <summary>os-release <c>VERSION_ID</c> (<c>12</c>, <c>3.19.1</c>), refined from <c>debian_version</c> etc. when absent.</summary>
    public string? VersionId { get; init; }

    public string? PrettyName { get; init; }

    /// <summary>os-release <c>VERSION_CODENAME</c> (<c>bookworm</c>).</summary>
    public string? Codename { get; init; }

    /// <summary>os-release <c>ID_LIKE</c>, split.</summary>
    public IReadOnlyList<string> IdLike { get; init; } = [];

    /// <summary>The finer version some distributions keep apart (<c>etc/debian_version</c>: <c>12.5</c>).</summary>
    public string? DetailedVersion { get; init; }
}
