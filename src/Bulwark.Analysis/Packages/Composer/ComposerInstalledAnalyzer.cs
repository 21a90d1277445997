using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Composer;

/// <summary>
/// PHP packages installed by Composer, from <c>vendor/composer/installed.json</c>: Composer 1 writes an array of
/// packages, Composer 2 <c>{"packages": [...], "dev-package-names": [...]}</c>. <c>require</c> entries that are
/// installed packages become dependencies (<c>php</c> and <c>ext-*</c> platform requirements are not packages).
/// </summary>
public sealed class ComposerInstalledAnalyzer : IFileAnalyzer
{
    public const long MaxBytes = 64L * 1024 * 1024;

    public string Name => "composer";

    public FileSelector Selector { get; } = new() { Globs = ["**/vendor/composer/installed.json"] };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        foreach (var file in context.Files.Select(Selector))
        {
            var bytes = await LanguageFiles.ReadBoundedAsync(context, Name, file, MaxBytes, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                continue;
            }

            List<Package> packages;
            try
            {
                packages = Parse(bytes, "/" + file.Path);
            }
            catch (JsonException e)
            {
                context.AddWarning($"composer: /{file.Path} is not valid JSON: {e.Message}");
                continue;
            }
            catch (PackageDatabaseException e)
            {
                context.AddWarning($"composer: {e.Message}");
                continue;
            }

            context.MarkRead(file);
            foreach (var package in packages)
            {
                context.AddPackage(package.FoundIn(context, file));
            }
        }
    }

    /// <summary>The packages of an installed.json in either format.</summary>
    public static List<Package> Parse(ReadOnlyMemory<byte> json, string foundIn)
    {
        using var document = JsonDocument.Parse(json, LanguageFiles.JsonOptions);
        var root = document.RootElement;
        var dev = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        JsonElement list;
        bool composer2;
        if (root.ValueKind == JsonValueKind.Array)
        {
            list = root;
            composer2 = false;
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("packages", out list) && list.ValueKind == JsonValueKind.Array)
        {
            composer2 = true;
            if (root.TryGetProperty("dev-package-names", out var names) && names.ValueKind == JsonValueKind.Array)
            {
                dev.UnionWith(names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!));
            }
        }
        else
        {
            throw new PackageDatabaseException($"{foundIn} is neither a package array nor an object with \"packages\"");
        }

        var entries = list.EnumerateArray()
            .Select(p => (Element: p, Name: p.GetString("name"), Version: p.GetString("version")))
            .Where(p => !string.IsNullOrEmpty(p.Name) && !string.IsNullOrEmpty(p.Version))
            .ToList();
        var versions = entries.GroupBy(e => e.Name!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => (Name: g.First().Name!, Version: g.First().Version!), StringComparer.OrdinalIgnoreCase);
        return [.. entries.Select(e => new Package
        {
            Type = PackageTypes.Composer,
            Name = e.Name!,
            Version = e.Version!,
            Licenses = Licenses(e.Element),
            DependsOn = Requires(e.Element, versions),
            Development = composer2 ? dev.Contains(e.Name!) : null,
            FoundIn = foundIn,
            Purl = Purl(e.Name!, e.Version!),
        })];
    }

    private static string Purl(string name, string version)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            ? PackageUrl.Create(PackageTypes.Composer, name[..slash], name[(slash + 1)..], version)
            : PackageUrl.Create(PackageTypes.Composer, null, name, version);
    }

    private static List<string> Licenses(JsonElement package) =>
        package.TryGetProperty("license", out var license)
            ? license.ValueKind == JsonValueKind.Array
                ? [.. license.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()!)]
                : license.ValueKind == JsonValueKind.String ? [license.GetString()!] : []
            : [];

    private static List<string> Requires(JsonElement package, Dictionary<string, (string Name, string Version)> installed) =>
        package.TryGetProperty("require", out var require) && require.ValueKind == JsonValueKind.Object
            ? [.. require.EnumerateObject()
                .Where(r => installed.ContainsKey(r.Name))
                .Select(r => Purl(installed[r.Name].Name, installed[r.Name].Version))
                .Order(StringComparer.Ordinal)]
            : [];
}
