using Bulwark.Analysis.Sbom;
using Bulwark.Analysis.Sbom.CycloneDx;

namespace Bulwark.Analysis.Tests.Sbom;

public sealed class SpdxLicensesTests
{
    [Theory]
    [InlineData("MIT", "MIT")]
    [InlineData("mit", "MIT")]
    [InlineData("Apache-2.0", "Apache-2.0")]
    [InlineData("GPL-2", "GPL-2.0-only")]
    [InlineData("GPL-2+", "GPL-2.0-or-later")]
    [InlineData("GPL-2.0", "GPL-2.0-only")]
    [InlineData("GPL-2.0+", "GPL-2.0-or-later")]
    [InlineData("LGPL-2.1+", "LGPL-2.1-or-later")]
    [InlineData("GFDL-1.3", "GFDL-1.3-only")]
    [InlineData("Expat", "MIT")]
    [InlineData("BSD-3-clause", "BSD-3-Clause")]
    [InlineData("MIT OR Apache-2.0", "MIT OR Apache-2.0")]
    [InlineData("(mit and zlib) or apache-2.0", "(MIT AND Zlib) OR Apache-2.0")]
    [InlineData("GPL-3+ with GCC-exception-3.1", "GPL-3.0-or-later WITH GCC-exception-3.1")]
    public void Normalize_KnownLicence_GivesTheSpdxExpression(string raw, string expected) =>
        Assert.Equal(expected, SpdxLicenses.Normalize(raw));

    [Theory]
    [InlineData("public-domain")]
    [InlineData("Some Custom License (see LICENSE)")]
    [InlineData("MIT AND")]
    [InlineData("(MIT")]
    [InlineData("MIT WITH Apache-2.0")]
    [InlineData("LicenseRef-foo")]
    [InlineData("")]
    [InlineData("   ")]
    public void Normalize_NotAnSpdxExpression_GivesNull(string raw) => Assert.Null(SpdxLicenses.Normalize(raw));

    [Fact]
    public void CycloneDxLicences_UseIdsNamesOrALoneExpression()
    {
        Assert.Equal([new CycloneDxLicenseChoice { Expression = "MIT OR Apache-2.0" }], CycloneDxBuilder.Licenses(["MIT OR Apache-2.0"]));
        var mixed = CycloneDxBuilder.Licenses(["GPL-2+", "GPL-2.0+", "public-domain", "MIT OR Apache-2.0"])!;
        Assert.Equal(["id:GPL-2.0-or-later", "name:public-domain", "name:MIT OR Apache-2.0"],
            mixed.Select(l => l.License!.Id is { } id ? "id:" + id : "name:" + l.License.Name));
        Assert.Equal([new CycloneDxLicenseChoice { Expression = "(GPL-3.0-or-later WITH GCC-exception-3.1) AND Artistic-1.0" }],
            CycloneDxBuilder.Licenses(["GPL-3+ with GCC-exception-3.1", "Artistic"]));
        Assert.Null(CycloneDxBuilder.Licenses([]));
    }
}
