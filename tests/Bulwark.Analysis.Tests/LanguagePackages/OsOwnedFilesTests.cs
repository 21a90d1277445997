using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Packages;

namespace Bulwark.Analysis.Tests.LanguagePackages;

public sealed class OsOwnedFilesTests
{
    private static Package Pkg(string type, string name, string foundIn, params string[] files) => new()
    {
        Type = type,
        Name = name,
        Version = "1",
        FoundIn = foundIn,
        Files = files,
        Purl = PackageUrl.Create(type, null, name, "1"),
    };

    [Fact]
    public void OwnedFoundInFiles_AreDropped_ThroughLinksAndArchives()
    {
        var deb = Pkg(PackageTypes.Deb, "python3-yaml", "/var/lib/dpkg/status",
            "/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA", "/lib/java/x.war");
        var owned = Pkg(PackageTypes.PyPI, "PyYAML", "/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA");
        var nested = Pkg(PackageTypes.Maven, "g:a", "/usr/lib/java/x.war!/WEB-INF/lib/a.jar");
        var free = Pkg(PackageTypes.PyPI, "PyYAML", "/usr/local/lib/python3.11/dist-packages/PyYAML-6.0.dist-info/METADATA");
        // The image's /lib is a link to usr/lib (merged /usr), while the database names /lib.
        static string? Resolve(string path) => path.StartsWith("lib/", StringComparison.Ordinal) ? "usr/" + path : path;

        var kept = OsOwnedFiles.RemoveOwned([deb, owned, nested, free], Resolve);

        Assert.Equal([deb, free], kept);
    }

    [Fact]
    public void WithoutOsPackages_NothingChanges()
    {
        IReadOnlyList<Package> packages = [Pkg(PackageTypes.Npm, "a", "/app/node_modules/a/package.json")];

        Assert.Same(packages, OsOwnedFiles.RemoveOwned(packages, null));
    }
}
