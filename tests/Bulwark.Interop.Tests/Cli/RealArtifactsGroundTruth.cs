using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>One package as its own ecosystem's files or tools describe it, with the layer that added it.</summary>
internal sealed record ExpectedPackage(string Type, string Name, string Version, string Purl, string FoundIn, int Layer);

/// <summary>
/// What the artifacts of <see cref="RealArtifactsImage"/> say about themselves, read with the ecosystems' own tools and
/// files: <c>go version -m</c> for Go binaries, each installed <c>package.json</c>, each dist-info <c>METADATA</c> /
/// egg-info <c>PKG-INFO</c>, the <c>libraries</c> of the published <c>*.deps.json</c>.
/// </summary>
internal static partial class RealArtifactsGroundTruth
{
    public static async Task<IReadOnlyList<ExpectedPackage>> PackagesAsync(RealArtifactsImage image) =>
    [
        .. await GoAsync(image, RealArtifactsImage.GoLayer),
        .. await GoAsync(image, RealArtifactsImage.GoModuleLayer),
        .. Python(image),
        .. Npm(image),
        .. NuGet(image),
    ];

    /// <summary>The image config's diff ids, in layer order, read from the layout (index.json → manifest → config).</summary>
    public static IReadOnlyList<string> DiffIds(RealArtifactsImage image)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(image.Layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString() == RealArtifactsImage.Tag)
            .GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(image, manifestDigest)));
        using var config = JsonDocument.Parse(File.ReadAllBytes(Blob(image, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!)));
        return [.. config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()!)];
    }

    /// <summary>What <c>go version -m</c> prints for every Go executable under one layer.</summary>
    public static async Task<IReadOnlyList<GoBinary>> GoBinariesAsync(RealArtifactsImage image, int layer)
    {
        var root = image.LayerDirectory(layer);
        var result = (await ToolProcess.RunAsync("go", ["version", "-m", root], CancellationToken.None)).AssertSucceeded();
        var binaries = new List<GoBinary>();
        foreach (var line in result.StandardOutput.Split('\n'))
        {
            var header = GoHeader().Match(line);
            if (header.Success)
            {
                var path = "/" + Path.GetRelativePath(root, header.Groups["path"].Value).Replace('\\', '/');
                binaries.Add(new GoBinary(path, header.Groups["go"].Value, [], []));
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length >= 4 && fields[0].Length == 0 && fields[1] is "mod" or "dep")
            {
                (fields[1] == "mod" ? binaries[^1].Main : binaries[^1].Dependencies).Add((fields[2], fields[3]));
            }
        }

        Assert.NotEmpty(binaries);
        return binaries;
    }

    private static async Task<IEnumerable<ExpectedPackage>> GoAsync(RealArtifactsImage image, int layer) =>
        (await GoBinariesAsync(image, layer)).SelectMany(b => b.Main.Concat(b.Dependencies)
            .Select(m => Expected("golang", m.Path, m.Version, $"pkg:golang/{m.Path}@{Uri.EscapeDataString(m.Version)}", b.Path, layer))
            .Append(Expected("golang", "stdlib", b.GoVersion, $"pkg:golang/stdlib@{b.GoVersion}", b.Path, layer)));

    private static IEnumerable<ExpectedPackage> Python(RealArtifactsImage image)
    {
        var root = image.LayerDirectory(RealArtifactsImage.PythonLayer);
        var site = Path.Combine(root, "usr", "lib", "python3", "dist-packages");
        var metadata = Directory.GetDirectories(site, "*.dist-info").Select(d => Path.Combine(d, "METADATA"))
            .Concat(Directory.GetDirectories(site, "*.egg-info").Select(d => Path.Combine(d, "PKG-INFO")));
        foreach (var file in metadata)
        {
            var headers = File.ReadLines(file).TakeWhile(l => l.Length > 0).Select(l => l.Split(": ", 2)).Where(h => h.Length == 2)
                .GroupBy(h => h[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            var name = headers["Name"];
            var normalized = PypiSeparators().Replace(name, "-").ToLowerInvariant();
            yield return Expected("pypi", name, headers["Version"], $"pkg:pypi/{normalized}@{headers["Version"]}", "/" + Path.GetRelativePath(root, file), RealArtifactsImage.PythonLayer);
        }
    }

    private static IEnumerable<ExpectedPackage> Npm(RealArtifactsImage image)
    {
        var root = image.LayerDirectory(RealArtifactsImage.NpmLayer);
        var modules = Path.Combine(root, "srv", "web", "node_modules");
        var packages = Directory.GetDirectories(modules)
            .SelectMany(d => Path.GetFileName(d).StartsWith('@') ? Directory.GetDirectories(d) : [d])
            .Where(d => File.Exists(Path.Combine(d, "package.json")));
        foreach (var directory in packages)
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "package.json")));
            var name = manifest.RootElement.GetProperty("name").GetString()!;
            var version = manifest.RootElement.GetProperty("version").GetString()!;
            var purlName = name.StartsWith('@') ? "%40" + name[1..] : name;
            yield return Expected("npm", name, version, $"pkg:npm/{purlName}@{version}", "/" + Path.GetRelativePath(root, Path.Combine(directory, "package.json")), RealArtifactsImage.NpmLayer);
        }
    }

    private static IEnumerable<ExpectedPackage> NuGet(RealArtifactsImage image)
    {
        var root = image.LayerDirectory(RealArtifactsImage.DotnetLayer);
        var depsJson = Assert.Single(Directory.GetFiles(Path.Combine(root, "opt", "hello"), "*.deps.json"));
        using var deps = JsonDocument.Parse(File.ReadAllBytes(depsJson));
        foreach (var library in deps.RootElement.GetProperty("libraries").EnumerateObject().Where(l => l.Value.GetProperty("type").GetString() == "package"))
        {
            var (name, version) = (library.Name.Split('/')[0], library.Name.Split('/')[1]);
            yield return Expected("nuget", name, version, $"pkg:nuget/{name}@{version}", "/" + Path.GetRelativePath(root, depsJson), RealArtifactsImage.DotnetLayer);
        }
    }

    private static ExpectedPackage Expected(string type, string name, string version, string purl, string foundIn, int layer) =>
        new(type, name, version, purl, foundIn, layer);

    private static string Blob(RealArtifactsImage image, string digest) => Path.Combine(image.Layout, "blobs", "sha256", digest["sha256:".Length..]);

    [GeneratedRegex(@"^(?<path>/\S.*): (?<go>go[0-9][^\s]*)$")]
    private static partial Regex GoHeader();

    [GeneratedRegex("[-_.]+")]
    private static partial Regex PypiSeparators();
}

/// <summary>One Go executable as <c>go version -m</c> prints it: path in the image, toolchain, main module and dependencies.</summary>
internal sealed record GoBinary(string Path, string GoVersion, List<(string Path, string Version)> Main, List<(string Path, string Version)> Dependencies);
