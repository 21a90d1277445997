using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages.Golang;

/// <summary>Go modules compiled into executables are found while the layers stream, from the final view only.</summary>
public sealed class BinaryPackagesInImageTests
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    [Fact]
    public async Task GoBinaryInALayer_ReportsItsModulesAndToolchain_AttributedToThatLayer()
    {
        var binary = await File.ReadAllBytesAsync(await LanguageFixtures.GoBinaryAsync());
        var image = SyntheticImage.Create(
            SyntheticImage.Tar(t => t.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")),
            SyntheticImage.Tar(t => t.File("usr/local/bin/app", binary, Executable).File("usr/local/bin/not-exec", binary)));

        var inventory = await SyntheticImage.AnalyzeAsync(image);

        var golang = inventory.Packages.Where(p => p.Type == PackageTypes.Golang).ToList();
        Assert.Contains(golang, p => p.Name == "github.com/google/uuid" && p.Version == "v1.3.0");
        var stdlib = Assert.Single(golang, p => p.Name == "stdlib");
        Assert.StartsWith("go1.", stdlib.Version, StringComparison.Ordinal);
        // Only the executable: a copy without the execute bit is not a program.
        Assert.All(golang, p => Assert.Equal(("/usr/local/bin/app", 1, "layer1"), (p.FoundIn, p.LayerIndex, p.LayerDigest)));
    }

    [Fact]
    public async Task GoBinaryDeletedByALaterLayer_ReportsNothing()
    {
        var binary = await File.ReadAllBytesAsync(await LanguageFixtures.GoBinaryAsync());
        var image = SyntheticImage.Create(
            SyntheticImage.Tar(t => t.File("app/server", binary, Executable)),
            SyntheticImage.Tar(t => t.Whiteout("app/server")));

        var inventory = await SyntheticImage.AnalyzeAsync(image);

        Assert.DoesNotContain(inventory.Packages, p => p.Type == PackageTypes.Golang);
    }
}
