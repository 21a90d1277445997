using System.Text;
using Bulwark.Analysis.Packages;
using Bulwark.Analysis.Packages.NuGet;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages.NuGet;

public sealed class DepsJsonParserTests
{
    private const string DepsJson = """
        {
          "runtimeTarget": {"name": ".NETCoreApp,Version=v8.0"},
          "targets": {
            ".NETCoreApp,Version=v8.0": {
              "App/1.0.0": {"dependencies": {"Serilog": "3.1.1", "Lib": "1.0.0"}},
              "Serilog/3.1.1": {"dependencies": {"System.Memory": "4.5.5"}},
              "System.Memory/4.5.5": {},
              "Lib/1.0.0": {}
            },
            ".NETStandard,Version=v2.0/": {"Other/1.0.0": {"dependencies": {"Serilog": "3.1.1"}}}
          },
          "libraries": {
            "App/1.0.0": {"type": "project", "serviceable": false},
            "Lib/1.0.0": {"type": "project"},
            "Serilog/3.1.1": {"type": "package", "serviceable": true, "sha512": "sha512-x", "path": "serilog/3.1.1"},
            "System.Memory/4.5.5": {"type": "package"},
            "mscorlib/4.0.0.0": {"type": "reference"}
          }
        }
        """;

    [Fact]
    public void Parse_PackagesOnlyWithDependencies()
    {
        var packages = DepsJsonParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(DepsJson)), "/app/App.deps.json");

        Assert.Equal(["Serilog@3.1.1", "System.Memory@4.5.5"], packages.Select(p => $"{p.Name}@{p.Version}").Order(StringComparer.Ordinal));
        var serilog = Assert.Single(packages, p => p.Name == "Serilog");
        Assert.Equal(("pkg:nuget/Serilog@3.1.1", "/app/App.deps.json"), (serilog.Purl, serilog.FoundIn));
        Assert.Equal(["pkg:nuget/System.Memory@4.5.5"], serilog.DependsOn);
    }

    [Theory]
    [InlineData("{\"libraries\": ")]
    [InlineData("[1,2]")]
    [InlineData("{\"targets\":{}}")]
    public void Parse_Malformed_ThrowsPackageDatabaseException(string json) =>
        Assert.Throws<PackageDatabaseException>(() => DepsJsonParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "/x.deps.json"));

    [Fact]
    public async Task Analyzer_MalformedFileIsAWarning_OthersStillFound()
    {
        var inventory = await LanguageImage.AnalyzeAsync(("app/a/App.deps.json", DepsJson), ("app/b/Broken.deps.json", "{\"libraries\": {"));

        Assert.Equal(2, inventory.Packages.Count);
        Assert.All(inventory.Packages, p => Assert.Equal(0, p.LayerIndex));
        Assert.Contains(inventory.Warnings, w => w.StartsWith("nuget: /app/b/Broken.deps.json is not valid JSON", StringComparison.Ordinal));
    }
}
