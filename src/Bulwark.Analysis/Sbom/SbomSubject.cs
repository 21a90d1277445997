using Bulwark.Analysis.Inventory;
using Bulwark.Oci;

namespace Bulwark.Analysis.Sbom;

/// <summary>
/// What an SBOM describes, derived once for both formats: the image's name, version (manifest digest), its
/// <c>pkg:oci</c> purl and the properties that identify it.
/// </summary>
internal sealed record SbomSubject
{
    public required string Name { get; init; }

    public string? Version { get; init; }

    public string? Purl { get; init; }

    /// <summary>Hex SHA-256 of the manifest, when the digest is SHA-256.</summary>
    public string? ManifestSha256 { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; }

    public static SbomSubject From(ImageInventory inventory)
    {
        var (name, repositoryUrl, tag, reference) = Describe(inventory.Source);
        var properties = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                properties.Add(new(key, value));
            }
        }

        Add(SbomProperties.ImageReference, reference);
        Add(SbomProperties.ImageManifestDigest, inventory.ManifestDigest);
        Add(SbomProperties.ImageConfigDigest, inventory.ConfigDigest);
        Add(SbomProperties.ImagePlatform, inventory.Platform?.ToString());
        Add(SbomProperties.ImageOs, inventory.Platform?.Os);
        Add(SbomProperties.ImageArchitecture, inventory.Platform?.Architecture);
        Add(SbomProperties.ImageVariant, inventory.Platform?.Variant);
        foreach (var layer in inventory.Layers)
        {
            Add(SbomProperties.ImageDiffId, layer.DiffId);
        }

        string? purl = null;
        string? sha256 = null;
        if (inventory.ManifestDigest is { } digest && Digest.TryParse(digest, out var parsed))
        {
            // purl-spec, type oci: the name is the last segment of the repository, lower case; the version the
            // manifest digest; repository_url without scheme, tag and arch as qualifiers.
            purl = PackageUrl.Create("oci", null, PurlName(name), digest,
            [
                new("arch", inventory.Platform?.Architecture),
                new("repository_url", repositoryUrl),
                new("tag", tag),
            ]);
            sha256 = parsed.Algorithm == "sha256" ? parsed.Encoded : null;
        }

        return new SbomSubject
        {
            Name = reference ?? name,
            Version = inventory.ManifestDigest,
            Purl = purl,
            ManifestSha256 = sha256,
            Properties = properties,
        };
    }

    private static (string Name, string? RepositoryUrl, string? Tag, string? Reference) Describe(string source)
    {
        var local = source.StartsWith("oci:", StringComparison.Ordinal) || source.StartsWith("docker-archive:", StringComparison.Ordinal)
            || source.StartsWith("dir:", StringComparison.Ordinal) || source.StartsWith('/') || source.StartsWith('.')
            || Path.Exists(source);
        var text = source.StartsWith("docker://", StringComparison.Ordinal) ? source["docker://".Length..] : source;
        if (!local && ImageReference.TryParse(text, out var reference))
        {
            var lastSlash = reference.Repository.LastIndexOf('/');
            return (reference.Repository[(lastSlash + 1)..], $"{reference.Registry}/{reference.Repository}", reference.Tag, reference.ToString());
        }

        // A path: name the image after the file or directory (an OCI layout's tag is kept apart).
        string? layoutTag = null;
        var path = text;
        foreach (var prefix in new[] { "oci:", "docker-archive:", "dir:" })
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                path = path[prefix.Length..];
                if (prefix == "oci:" && path.LastIndexOf(':') is var colon and > 0 && !Directory.Exists(path))
                {
                    layoutTag = path[(colon + 1)..];
                    path = path[..colon];
                }
            }
        }

        var fileName = Path.GetFileName(path.TrimEnd('/'));
        return (string.IsNullOrEmpty(fileName) ? "image" : fileName, null, layoutTag, null);
    }

    private static string PurlName(string name) => name.ToLowerInvariant();
}
