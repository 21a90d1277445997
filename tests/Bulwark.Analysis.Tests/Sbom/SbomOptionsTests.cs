using Bulwark.Analysis.Sbom;

namespace Bulwark.Analysis.Tests.Sbom;

public sealed class SbomOptionsTests
{
    [Fact]
    public void Default_CarriesTheAssemblyVersion_WithoutTheCommit()
    {
        // SbomOptions.Default is what `bulwark sbom` writes with: its tool version must not be lost to the order in
        // which the static properties are initialised.
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+", SbomOptions.Default.ToolVersion);
        Assert.Equal(SbomOptions.DefaultToolVersion, SbomOptions.Default.ToolVersion);
        Assert.DoesNotContain('+', SbomOptions.DefaultToolVersion);
    }
}
