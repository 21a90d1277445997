using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// NuGet's <c>packages.lock.json</c> (<c>RestorePackagesWithLockFile</c>): per target framework, each package's
/// <c>type</c> (<c>Direct</c>, <c>Transitive</c>, <c>CentralTransitive</c>; <c>Project</c> references are the
/// solution's own code and skipped), <c>resolved</c> version and dependencies, which are resolved to the version
/// locked for the same framework. A package locked for several frameworks at one version is reported once.
/// </summary>
public sealed class NuGetLockAnalyzer : LockfileAnalyzer
{
    public override string Name => "nuget-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/packages.lock.json"];

    public override Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(input.Text, NpmPackageJson.JsonOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("dependencies", out var frameworks) || frameworks.ValueKind != JsonValueKind.Object)
        {
            throw new LockfileFormatException("no dependencies object: not a NuGet packages.lock.json", 1);
        }

        var merger = new PackageMerger();
        foreach (var framework in frameworks.EnumerateObject())
        {
            if (framework.Value.ValueKind != JsonValueKind.Object)
            {
                throw new LockfileFormatException($"target framework {framework.Name} is not an object");
            }

            // NuGet package ids are case-insensitive: dependencies may name a package in another case.
            var resolved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var package in framework.Value.EnumerateObject())
            {
                if (NpmPackageLockAnalyzer.String(package.Value, "type") != "Project" && NpmPackageLockAnalyzer.String(package.Value, "resolved") is { } version)
                {
                    resolved[package.Name] = version;
                }
            }

            foreach (var package in framework.Value.EnumerateObject())
            {
                var type = NpmPackageLockAnalyzer.String(package.Value, "type");
                if (type == "Project" || !resolved.TryGetValue(package.Name, out var version))
                {
                    continue;
                }

                var dependsOn = new List<string>();
                if (package.Value.TryGetProperty("dependencies", out var dependencies) && dependencies.ValueKind == JsonValueKind.Object)
                {
                    foreach (var dependency in dependencies.EnumerateObject())
                    {
                        if (resolved.TryGetValue(dependency.Name, out var dependencyVersion))
                        {
                            var name = framework.Value.EnumerateObject().First(p => string.Equals(p.Name, dependency.Name, StringComparison.OrdinalIgnoreCase)).Name;
                            dependsOn.Add(Purl(name, dependencyVersion));
                        }
                    }
                }

                merger.Add(NewPackage(input, PackageTypes.NuGet, package.Name, version, Purl(package.Name, version),
                    [.. dependsOn.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], direct: type == "Direct"));
            }
        }

        merger.CopyTo(result);
        return Task.CompletedTask;
    }

    private static string Purl(string name, string version) => PackageUrl.Create(PackageTypes.NuGet, null, name, version);
}
