using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Oci;

/// <summary>
/// An image reference as clients write it: <c>[registry/]repository[:tag][@digest]</c>. The registry is the
/// first component when it contains a <c>.</c> or <c>:</c> or is <c>localhost</c> (the docker rule);
/// otherwise Docker Hub, where single-component names live under <c>library/</c>.
/// </summary>
public sealed record ImageReference
{
    public const string DockerHub = "docker.io";

    /// <summary>The host Docker Hub's API is served from.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    public required string Registry { get; init; }

    public required string Repository { get; init; }

    public string? Tag { get; init; }

    public Digest? Digest { get; init; }

    /// <summary>The tag or digest to request from the manifests endpoint (digest wins; default tag <c>latest</c>).</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? "latest";

    /// <summary>The host the distribution API is reached at.</summary>
    public string ApiHost => Registry == DockerHub ? DockerHubApiHost : Registry;

    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    public static ImageReference Parse(string value) =>
        TryParse(value, out var reference) ? reference : throw new FormatException($"'{value}' is not a valid image reference");

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = null;
        if (string.IsNullOrEmpty(value) || value.Length > 1024)
        {
            return false;
        }

        var rest = value;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Oci.Digest.TryParse(rest[(at + 1)..], out var parsed))
            {
                return false;
            }

            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagName.IsValid(tag))
            {
                return false;
            }
        }

        var registry = DockerHub;
        var firstSlash = rest.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                rest = rest[(firstSlash + 1)..];
            }
        }

        if (registry is "index.docker.io" or DockerHubApiHost)
        {
            registry = DockerHub;
        }

        if (registry == DockerHub && !rest.Contains('/', StringComparison.Ordinal))
        {
            rest = "library/" + rest;
        }

        if (!RepositoryName.IsValid(rest))
        {
            return false;
        }

        reference = new ImageReference { Registry = registry, Repository = rest, Tag = tag ?? (digest is null ? "latest" : null), Digest = digest };
        return true;
    }
}
