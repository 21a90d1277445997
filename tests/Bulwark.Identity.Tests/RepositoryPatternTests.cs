using Bulwark.Identity.Permissions;

namespace Bulwark.Identity.Tests;

public sealed class RepositoryPatternTests
{
    [Theory]
    [InlineData("team-a/app", "team-a/app", true)]
    [InlineData("team-a/app", "team-a/app2", false)]
    [InlineData("team-a/app", "team-a/app/sub", false)]
    [InlineData("team-a/*", "team-a/app", true)]
    [InlineData("team-a/*", "team-a/x/y", false)]
    [InlineData("team-a/*", "team-a", false)]
    [InlineData("team-a/*", "team-ab/app", false)]
    [InlineData("team-a/*", "team-b/app", false)]
    [InlineData("team-a/**", "team-a/app", true)]
    [InlineData("team-a/**", "team-a/x/y/z", true)]
    [InlineData("team-a/**", "team-a", false)]
    [InlineData("team-a/**", "team-ab/app", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("*", "top", true)]
    [InlineData("*", "top/level", false)]
    public void Matches_FollowsPathComponents(string pattern, string repository, bool expected) =>
        Assert.Equal(expected, RepositoryPattern.Parse(pattern).Matches(repository));

    [Theory]
    [InlineData("")]
    [InlineData("Team-A/*")]
    [InlineData("team-a*")]
    [InlineData("team-a/*/app")]
    [InlineData("team-a/***")]
    [InlineData("/team-a")]
    [InlineData("team-a/")]
    public void TryParse_NotAPattern_Fails(string text) => Assert.False(RepositoryPattern.TryParse(text, out _));
}
