using Bulwark.Analysis.Packages.Python;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages.Python;

public sealed class PythonPackageAnalyzerTests
{
    [Fact]
    public async Task DistInfoEggInfoDirectoryAndFile_WithRecord()
    {
        var inventory = await LanguageImage.AnalyzeAsync(
            ("usr/lib/python3.12/site-packages/Foo_Bar-1.0.dist-info/METADATA", "Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.0\nLicense-Expression: MIT OR Apache-2.0\nLicense: ignored\n\nName: not-a-header\n"),
            ("usr/lib/python3.12/site-packages/Foo_Bar-1.0.dist-info/RECORD",
                "foo_bar/__init__.py,sha256=abc,10\n\"foo_bar/with,comma.py\",sha256=def,3\n../../../bin/foo,sha256=x,1\n../../../../../../../../etc/escape,,\nFoo_Bar-1.0.dist-info/RECORD,,\n"),
            ("opt/venv/lib/python3.12/site-packages/legacy-2.0-py3.12.egg-info/PKG-INFO",
                "Metadata-Version: 1.2\nName: legacy\nVersion: 2.0\nLicense: Permission is hereby granted\n        free of charge\nClassifier: License :: OSI Approved :: BSD License\n"),
            ("usr/lib/python3/dist-packages/single-0.5.egg-info", "Metadata-Version: 1.1\nName: single\nVersion: 0.5\nLicense: UNKNOWN\n"),
            ("usr/lib/python3/dist-packages/broken-1.dist-info/METADATA", "Metadata-Version: 2.1\nSummary: no name\n"));

        Assert.Equal(["Foo_Bar@1.0", "legacy@2.0", "single@0.5"], inventory.Packages.Select(p => $"{p.Name}@{p.Version}"));
        var foo = inventory.Packages[0];
        Assert.Equal("pkg:pypi/foo-bar@1.0", foo.Purl);
        Assert.Equal(["MIT OR Apache-2.0"], foo.Licenses);
        Assert.Equal(
            ["/usr/lib/python3.12/site-packages/foo_bar/__init__.py", "/usr/lib/python3.12/site-packages/foo_bar/with,comma.py", "/usr/bin/foo",
             "/usr/lib/python3.12/site-packages/Foo_Bar-1.0.dist-info/RECORD"],
            foo.Files);
        // A multi-line License is licence text: the classifier names it instead.
        Assert.Equal(["BSD License"], inventory.Packages[1].Licenses);
        Assert.Empty(inventory.Packages[2].Licenses);
        Assert.Contains(inventory.Warnings, w => w.Contains("broken-1.dist-info/METADATA has no Name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Django", "django")]
    [InlineData("typing_extensions", "typing-extensions")]
    [InlineData("zope.interface", "zope.interface")]
    public void PurlName_FollowsPurlSpec(string name, string expected) => Assert.Equal(expected, PythonMetadata.PurlName(name));
}
