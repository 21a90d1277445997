using Bulwark.Analysis.Packages.Ruby;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages.Ruby;

public sealed class GemspecParserTests
{
    [Fact]
    public void Parse_OtherVariableVersionObjectAndSingleLicense()
    {
        var gem = GemspecParser.Parse("""
            # stub: json 2.7.1 ruby lib
            Gem::Specification.new do |spec|
              spec.name = 'json'
              spec.version = Gem::Version.new("2.7.1")
              spec.license = "Ruby".freeze
            end
            """);

        Assert.NotNull(gem);
        Assert.Equal(("json", "2.7.1"), (gem.Name, gem.Version));
        Assert.Equal(["Ruby"], gem.Licenses);
    }

    [Theory]
    [InlineData("s.name = \"x\"\ns.version = \"1\"")]
    [InlineData("Gem::Specification.new do |s|\n  s.name = NAME\n  s.version = \"1.0\"\nend")]
    [InlineData("Gem::Specification.new do |s|\n  s.name = \"x\"\n  s.version = File.read('VERSION')\nend")]
    public void Parse_NoHeaderOrNonLiteral_IsNull(string text) => Assert.Null(GemspecParser.Parse(text));

    [Fact]
    public async Task Analyzer_DefaultGemsAndNonLiteralWarning()
    {
        var inventory = await LanguageImage.AnalyzeAsync(
            ("usr/local/lib/ruby/gems/3.3.0/specifications/default/json-2.7.1.gemspec", "Gem::Specification.new do |s|\n  s.name = \"json\"\n  s.version = \"2.7.1\"\n  s.licenses = [\"Ruby\".freeze, \"BSD-2-Clause\".freeze]\nend\n"),
            ("usr/local/lib/ruby/gems/3.3.0/specifications/evil-1.gemspec", "Gem::Specification.new do |s|\n  s.name = `rm -rf /`\nend\n"));

        var json = Assert.Single(inventory.Packages);
        Assert.Equal(("json", "2.7.1", "pkg:gem/json@2.7.1"), (json.Name, json.Version, json.Purl));
        Assert.Equal(["Ruby", "BSD-2-Clause"], json.Licenses);
        Assert.Contains(inventory.Warnings, w => w.Contains("evil-1.gemspec has no literal name", StringComparison.Ordinal));
    }
}
