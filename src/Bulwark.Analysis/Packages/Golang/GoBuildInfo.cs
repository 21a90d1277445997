using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Golang;

/// <summary>A Go module as the build info records it (<c>mod</c>/<c>dep</c> lines), with its <c>=&gt;</c> replacement.</summary>
public sealed record GoModule(string Path, string Version, string? Sum, GoModule? Replace = null);

/// <summary>What <c>go version -m</c> prints of a binary: toolchain, main package path, main module, dependencies, build settings.</summary>
public sealed record GoBuildInfo
{
    /// <summary>The toolchain (<c>go1.21.5</c>); experiments after a space are dropped.</summary>
    public required string GoVersion { get; init; }

    /// <summary>The main package's import path (<c>github.com/containers/skopeo/cmd/skopeo</c>); present even without modules.</summary>
    public string? Path { get; init; }

    /// <summary>The main module; null for binaries built outside module mode (Debian builds with GOPATH).</summary>
    public GoModule? Main { get; init; }

    public IReadOnlyList<GoModule> Dependencies { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>
    /// The modules as <c>golang</c> packages — the main module, every dependency (a replacement by another module is
    /// reported as that module; a local directory replacement keeps the required module) — and the toolchain as
    /// package <c>stdlib</c> at version <see cref="GoVersion"/>.
    /// </summary>
    public IReadOnlyList<Package> ToPackages(string foundIn)
    {
        var packages = new List<Package>();
        if (Main is { Path.Length: > 0 } main)
        {
            packages.Add(Create(main.Path, main.Version, foundIn));
        }

        foreach (var dependency in Dependencies)
        {
            var effective = dependency.Replace is { Version.Length: > 0 } replacement && !IsLocalPath(replacement.Path) ? replacement : dependency;
            packages.Add(Create(effective.Path, effective.Version, foundIn));
        }

        packages.Add(Create("stdlib", GoVersion, foundIn));
        return packages;
    }

    /// <summary>A directory replacement (<c>=&gt; ./greeting</c>): cmd/go's modfile.IsDirectoryPath.</summary>
    private static bool IsLocalPath(string path) =>
        path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal) || path.StartsWith('/')
        || path is "." or "..";

    private static Package Create(string path, string version, string foundIn)
    {
        var slash = path.LastIndexOf('/');
        return new Package
        {
            Type = PackageTypes.Golang,
            Name = path,
            Version = version,
            FoundIn = foundIn,
            Purl = PackageUrl.Create(PackageTypes.Golang, slash > 0 ? path[..slash] : null, slash > 0 ? path[(slash + 1)..] : path, version),
        };
    }
}
