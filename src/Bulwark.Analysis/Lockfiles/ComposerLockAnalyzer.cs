using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// <c>composer.lock</c>: <c>packages</c> and <c>packages-dev</c> (dev-only), each package's <c>require</c> resolved to
/// the locked packages (platform requirements — <c>php</c>, <c>ext-*</c>, <c>lib-*</c> — are not packages). The
/// <c>composer.json</c> beside it says which are direct. A leading <c>v</c> of a version (<c>v6.4.1</c>) is dropped,
/// as Composer and the advisory databases compare versions without it.
/// </summary>
public sealed class ComposerLockAnalyzer : LockfileAnalyzer
{
    public override string Name => "composer-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/composer.lock"];

    protected override IReadOnlyList<string> CompanionGlobs => ["**/composer.json"];

    public override async Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(input.Text, NpmPackageJson.JsonOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("packages", out _))
        {
            throw new LockfileFormatException("no packages array: not a composer.lock", 1);
        }

        var entries = new List<(string Name, string Version, bool Development, List<string> Requires)>();
        foreach (var (section, development) in new[] { ("packages", false), ("packages-dev", true) })
        {
            if (!root.TryGetProperty(section, out var packages) || packages.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (packages.ValueKind != JsonValueKind.Array)
            {
                throw new LockfileFormatException($"{section} is not an array");
            }

            foreach (var package in packages.EnumerateArray())
            {
                var name = NpmPackageLockAnalyzer.String(package, "name") ?? throw new LockfileFormatException($"a package of {section} has no name");
                var version = NpmPackageLockAnalyzer.String(package, "version") ?? throw new LockfileFormatException($"package {name} has no version");
                var requires = package.TryGetProperty("require", out var require) && require.ValueKind == JsonValueKind.Object
                    ? require.EnumerateObject().Select(r => r.Name.ToLowerInvariant()).ToList() : [];
                entries.Add((name, NormalizeVersion(version), development, requires));
            }
        }

        var direct = await ReadComposerJsonAsync(input, cancellationToken).ConfigureAwait(false);
        var byName = entries.ToLookup(e => e.Name.ToLowerInvariant(), StringComparer.Ordinal);
        var merger = new PackageMerger();
        foreach (var (name, version, development, requires) in entries)
        {
            merger.Add(NewPackage(input, PackageTypes.Composer, name, version, Purl(name, version),
                [.. requires.SelectMany(r => byName[r]).Select(r => Purl(r.Name, r.Version)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                direct: direct?.Contains(name.ToLowerInvariant()), development: development));
        }

        merger.CopyTo(result);
    }

    private static string NormalizeVersion(string version) =>
        version.Length > 1 && version[0] is 'v' or 'V' && char.IsAsciiDigit(version[1]) ? version[1..] : version;

    /// <summary>purl-spec composer: vendor is the namespace, both lower case.</summary>
    private static string Purl(string name, string version)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var lower = name.ToLowerInvariant();
        return slash < 0 ? PackageUrl.Create(PackageTypes.Composer, null, lower, version)
            : PackageUrl.Create(PackageTypes.Composer, lower[..slash], lower[(slash + 1)..], version);
    }

    private static async Task<HashSet<string>?> ReadComposerJsonAsync(LockfileInput input, CancellationToken cancellationToken)
    {
        var path = input.Directory.Length == 0 ? "composer.json" : input.Directory + "/composer.json";
        if (await input.ReadFileAsync(path, cancellationToken).ConfigureAwait(false) is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, NpmPackageJson.JsonOptions);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in new[] { "require", "require-dev" })
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(section, out var require)
                    && require.ValueKind == JsonValueKind.Object)
                {
                    foreach (var dependency in require.EnumerateObject())
                    {
                        names.Add(dependency.Name.ToLowerInvariant());
                    }
                }
            }

            return names;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
