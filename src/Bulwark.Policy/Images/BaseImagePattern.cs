using System.Diagnostics.CodeAnalysis;
using Bulwark.Oci;

namespace Bulwark.Policy.Images;

/// <summary>
/// A sanctioned base image: <c>registry/repository[:tag][@digest]</c> names one image, <c>registry/prefix/*</c> or
/// <c>registry/prefix/**</c> every repository below a prefix (any tag). The registry is compared exactly (host and port).
/// </summary>
public sealed record BaseImagePattern
{
    private BaseImagePattern(string text, string registry, RepositoryScope repositories, string? tag, Digest? digest, ImageReference? reference)
    {
        Text = text;
        Registry = registry;
        Repositories = repositories;
        Tag = tag;
        Digest = digest;
        Reference = reference;
    }

    public string Text { get; }

    public string Registry { get; }

    public RepositoryScope Repositories { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>The one image this pattern names, when it has no wildcard (what a base-image resolver can look up).</summary>
    public ImageReference? Reference { get; }

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out BaseImagePattern? pattern)
    {
        pattern = null;
        if (string.IsNullOrEmpty(text) || text.Length > 1024)
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        var registry = text[..slash];
        var rest = text[(slash + 1)..];
        if (!registry.Contains('.', StringComparison.Ordinal) && !registry.Contains(':', StringComparison.Ordinal) && registry != "localhost")
        {
            return false;
        }

        if (rest.EndsWith('*'))
        {
            if (!RepositoryScope.TryParse(rest, out var scope) || !RegistryHost.IsValid(registry))
            {
                return false;
            }

            pattern = new BaseImagePattern(text, registry.ToLowerInvariant(), scope, null, null, null);
            return true;
        }

        if (!ImageReference.TryParse(text, out var reference) || reference.Registry != registry || !RepositoryScope.TryParse(reference.Repository, out var exact))
        {
            return false;
        }

        pattern = new BaseImagePattern(text, registry.ToLowerInvariant(), exact, reference.Tag, reference.Digest, reference);
        return true;
    }

    /// <summary>True when <paramref name="image"/> is this image (same tag or digest where the pattern names one) or lies below the prefix.</summary>
    public bool Matches(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return string.Equals(image.Registry, Registry, StringComparison.OrdinalIgnoreCase)
            && Repositories.Matches(image.Repository)
            && (Tag is null || image.Tag == Tag)
            && (Digest is null || image.Digest == Digest);
    }

    public override string ToString() => Text;
}
