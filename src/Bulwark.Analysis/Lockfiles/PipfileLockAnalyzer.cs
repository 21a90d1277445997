using System.Text.Json;
using Bulwark.Analysis.Inventory;
using Tomlyn.Model;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// Pipenv's <c>Pipfile.lock</c> (JSON): <c>default</c> packages and <c>develop</c> (dev-only) ones, each with an exact
/// <c>==version</c>; entries without one (editable, VCS, path) are the project's own or unpinned and are skipped.
/// The lock has no graph; the <c>Pipfile</c> beside it (TOML) says which packages are direct.
/// </summary>
public sealed class PipfileLockAnalyzer : LockfileAnalyzer
{
    public override string Name => "pipfile-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/Pipfile.lock"];

    protected override IReadOnlyList<string> CompanionGlobs => ["**/Pipfile"];

    public override async Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(input.Text, NpmPackageJson.JsonOptions);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("_meta", out _))
        {
            throw new LockfileFormatException("no _meta object: not a Pipfile.lock", 1);
        }

        var direct = await ReadPipfileAsync(input, cancellationToken).ConfigureAwait(false);
        var merger = new PackageMerger();
        foreach (var (section, development) in new[] { ("default", false), ("develop", true) })
        {
            if (!document.RootElement.TryGetProperty(section, out var packages) || packages.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var package in packages.EnumerateObject())
            {
                if (NpmPackageLockAnalyzer.String(package.Value, "version") is not { } pinned || !pinned.StartsWith("==", StringComparison.Ordinal))
                {
                    continue;
                }

                var version = pinned.TrimStart('=');
                merger.Add(NewPackage(input, PackageTypes.PyPI, package.Name, version, PythonNames.Purl(package.Name, version),
                    direct: direct?.Contains(PythonNames.Normalize(package.Name)), development: development));
            }
        }

        merger.CopyTo(result);
    }

    private static async Task<HashSet<string>?> ReadPipfileAsync(LockfileInput input, CancellationToken cancellationToken)
    {
        var path = input.Directory.Length == 0 ? "Pipfile" : input.Directory + "/Pipfile";
        if (await input.ReadFileAsync(path, cancellationToken).ConfigureAwait(false) is not { } text)
        {
            return null;
        }

        TomlTable document;
        try
        {
            document = TomlDocuments.Parse(text, path);
        }
        catch (Tomlyn.TomlException)
        {
            return null;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "packages", "dev-packages" })
        {
            foreach (var key in TomlDocuments.Table(document, section)?.Keys ?? [])
            {
                names.Add(PythonNames.Normalize(key));
            }
        }

        return names;
    }
}
