using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Npm;

/// <summary>
/// Installed npm packages: every <c>node_modules/&lt;name&gt;/package.json</c> and
/// <c>node_modules/@scope/&lt;name&gt;/package.json</c>, at any depth (nested <c>node_modules</c>, the global
/// <c>usr/lib/node_modules</c> and <c>usr/local/lib/node_modules</c>). Dependencies are resolved as Node resolves
/// them: the nearest <c>node_modules/&lt;dep&gt;</c> from the package's directory upwards.
/// </summary>
public sealed class NpmAnalyzer : IFileAnalyzer
{
    /// <summary>A package.json larger than this is not a real package manifest (the largest on npm are a few hundred KiB).</summary>
    public const long MaxManifestBytes = 4 * 1024 * 1024;

    public string Name => "npm";

    public FileSelector Selector { get; } = new() { Globs = ["**/node_modules/*/package.json", "**/node_modules/@*/*/package.json"] };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (NpmManifest Manifest, ImageFile File)>(StringComparer.Ordinal);
        foreach (var file in context.Files.Select(Selector))
        {
            var bytes = await LanguageFiles.ReadBoundedAsync(context, Name, file, MaxManifestBytes, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                continue;
            }

            NpmManifest? manifest;
            try
            {
                manifest = NpmManifest.Parse(bytes);
            }
            catch (JsonException e)
            {
                context.AddWarning($"npm: /{file.Path} is not valid JSON: {e.Message}");
                continue;
            }

            // Test fixtures and templates inside packages have package.json files without a name or version.
            if (manifest is null)
            {
                continue;
            }

            context.MarkRead(file);
            found[file.Path[..file.Path.LastIndexOf('/')]] = (manifest, file);
        }

        foreach (var (directory, (manifest, file)) in found)
        {
            var dependsOn = new List<string>();
            foreach (var dependency in manifest.Dependencies)
            {
                if (Resolve(found, directory, dependency) is { } resolved)
                {
                    dependsOn.Add(resolved.Purl());
                }
            }

            context.AddPackage(new Package
            {
                Type = PackageTypes.Npm,
                Name = manifest.Name,
                Version = manifest.Version,
                Licenses = manifest.Licenses,
                DependsOn = [.. dependsOn.Distinct(StringComparer.Ordinal)],
                FoundIn = "",
                Purl = manifest.Purl(),
            }.FoundIn(context, file));
        }
    }

    /// <summary>Node's lookup: <c>DIR/node_modules/NAME</c> for DIR = the package's directory and each ancestor.</summary>
    private static NpmManifest? Resolve(Dictionary<string, (NpmManifest Manifest, ImageFile File)> found, string directory, string name)
    {
        for (var current = directory; ; current = current[..current.LastIndexOf('/')])
        {
            if (!current.EndsWith("/node_modules", StringComparison.Ordinal)
                && found.TryGetValue(current + "/node_modules/" + name, out var hit))
            {
                return hit.Manifest;
            }

            if (!current.Contains('/', StringComparison.Ordinal))
            {
                return found.TryGetValue("node_modules/" + name, out var top) ? top.Manifest : null;
            }
        }
    }
}
