namespace Bulwark.Oci.Tests;

public sealed class NameGrammarTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("library/alpine")]
    [InlineData("team-a/app")]
    [InlineData("team--a/x.y_z/deep/er")]
    [InlineData("a__b")]
    [InlineData("0/1/2")]
    public void RepositoryName_Valid(string name) => Assert.True(RepositoryName.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData("Upper/case")]
    [InlineData("../etc")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("-a")]
    [InlineData("a___b")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a:b")]
    public void RepositoryName_Invalid(string name) => Assert.False(RepositoryName.IsValid(name));

    [Fact]
    public void RepositoryName_OverLong_IsRejected()
    {
        Assert.True(RepositoryName.IsValid(new string('a', RepositoryName.MaxLength)));
        Assert.False(RepositoryName.IsValid(new string('a', RepositoryName.MaxLength + 1)));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3-rc.1")]
    [InlineData("_x")]
    [InlineData("A")]
    public void TagName_Valid(string tag) => Assert.True(TagName.IsValid(tag));

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("sha256:abc")]
    public void TagName_Invalid(string tag) => Assert.False(TagName.IsValid(tag));

    [Fact]
    public void TagName_LongerThan128_IsRejected()
    {
        Assert.True(TagName.IsValid(new string('a', 128)));
        Assert.False(TagName.IsValid(new string('a', 129)));
    }
}
