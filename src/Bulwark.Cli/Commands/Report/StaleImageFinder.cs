using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Sources;
using Bulwark.Cli.Commands.Policy;
using Bulwark.Oci;

namespace Bulwark.Cli.Commands.Report;

/// <summary>
/// Walks a registry (catalog, then each repository's tags, then each image's config) and finds images built more than
/// a number of days ago, and images whose <c>org.opencontainers.image.base.name</c> now resolves to a digest other than
/// their <c>org.opencontainers.image.base.digest</c>. Bounded: at most <see cref="MaxRepositories"/> repositories and
/// <see cref="MaxTagsPerRepository"/> tags each; what cannot be read is a problem line, not a failure of the walk.
/// </summary>
internal sealed class StaleImageFinder(HttpClient http, RegistrySourceOptions options, TimeProvider time)
{
    public const int MaxRepositories = 10_000;
    public const int MaxTagsPerRepository = 1_000;
    private const string BaseNameKey = "org.opencontainers.image.base.name";
    private const string BaseDigestKey = "org.opencontainers.image.base.digest";

    private readonly Dictionary<string, (string Top, string? Platform)?> baseDigests = new(StringComparer.Ordinal);

    public List<string> Problems { get; } = [];

    public int Checked { get; private set; }

    public async Task<IReadOnlyList<StaleImage>> FindAsync(string registry, string prefix, int days, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var catalog = new RegistryClient(http, new ImageReference { Registry = registry, Repository = prefix.Length > 0 ? prefix : "catalog" }, options);
        var repositories = (await catalog.ListRepositoriesAsync(MaxRepositories, cancellationToken))
            .Where(r => prefix.Length == 0 || r == prefix || r.StartsWith(prefix + "/", StringComparison.Ordinal))
            .Where(RepositoryName.IsValid).Order(StringComparer.Ordinal).ToList();
        var found = new List<StaleImage>();
        foreach (var repository in repositories)
        {
            var client = new RegistryClient(http, new ImageReference { Registry = registry, Repository = repository }, options);
            IReadOnlyList<string> tags;
            try
            {
                tags = await client.ListTagsAsync(MaxTagsPerRepository, cancellationToken);
            }
            catch (Exception e) when (e is ImageSourceException or HostileImageException)
            {
                Problems.Add($"{registry}/{repository}: {e.Message}");
                continue;
            }

            foreach (var tag in tags.Where(t => !IsArtifactTag(t)).Order(StringComparer.Ordinal))
            {
                var reference = new ImageReference { Registry = registry, Repository = repository, Tag = tag };
                RegistryImage image;
                try
                {
                    image = await RegistryImage.FetchAsync(client, reference, PlatformSelection.Default, cancellationToken);
                }
                catch (Exception e) when (e is ImageSourceException or HostileImageException or ManifestFormatException or FormatException)
                {
                    Problems.Add($"{reference}: {e.Message}");
                    continue;
                }

                if (image.Config is null)
                {
                    continue; // an artifact (signature, SBOM…), not an image
                }

                Checked++;
                var created = image.Config.Created;
                var age = created is { } c ? (int?)Math.Max(0, (int)(now - c).TotalDays) : null;
                var tooOld = created is null || now - created > TimeSpan.FromDays(days);
                var baseName = Annotation(image, BaseNameKey);
                var builtOn = Annotation(image, BaseDigestKey);
                string? current = null;
                if (baseName is not null && builtOn is not null)
                {
                    current = await NewerBaseDigestAsync(reference, baseName, builtOn, cancellationToken);
                }

                if (tooOld || current is not null)
                {
                    found.Add(new StaleImage(repository, tag, image.Digest.ToString(), created, age, tooOld, baseName, builtOn, current));
                }
            }
        }

        return found;
    }

    private static string? Annotation(RegistryImage image, string key) =>
        image.Annotations.GetValueOrDefault(key) ?? image.Config?.Config?.Labels?.GetValueOrDefault(key);

    /// <summary>cosign's <c>sha256-…​.sig</c>/<c>.att</c>/<c>.sbom</c> tags and referrers-tag-schema tags hold artifacts, not images.</summary>
    private static bool IsArtifactTag(string tag) =>
        tag.StartsWith("sha256-", StringComparison.Ordinal) || tag.StartsWith("sha512-", StringComparison.Ordinal);

    /// <summary>The digest the base name resolves to now, when it is neither the recorded digest nor (for an index) its platform manifest.</summary>
    private async Task<string?> NewerBaseDigestAsync(ImageReference image, string baseName, string builtOn, CancellationToken cancellationToken)
    {
        if (!baseDigests.TryGetValue(baseName, out var resolved))
        {
            resolved = null;
            if (!ImageReference.TryParse(baseName, out var reference))
            {
                Problems.Add($"{image}: the {BaseNameKey} '{baseName}' is not an image reference");
            }
            else
            {
                try
                {
                    var own = string.Equals(reference.Registry, image.Registry, StringComparison.OrdinalIgnoreCase) ? options : options with { Credential = null };
                    var client = new RegistryClient(http, reference with { Digest = null }, own);
                    var fetched = await RegistryImage.FetchAsync(client, reference with { Digest = null }, PlatformSelection.Default, cancellationToken);
                    resolved = (fetched.Digest.ToString(), fetched.PlatformDigest.ToString());
                }
                catch (Exception e) when (e is ImageSourceException or HostileImageException or ManifestFormatException or HttpRequestException or FormatException)
                {
                    Problems.Add($"{image}: base image {baseName} cannot be resolved: {e.Message}");
                }
            }

            baseDigests[baseName] = resolved;
        }

        return resolved is { } now && now.Top != builtOn && now.Platform != builtOn ? now.Top : null;
    }
}
