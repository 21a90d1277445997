using Bulwark.Identity.Passwords;

namespace Bulwark.Identity.Tests;

public sealed class PasswordPolicyTests
{
    [Fact]
    public void Check_LongUncommonPassword_Passes() => Assert.Empty(PasswordPolicy.Check("alice", "violet-harbour-47-lantern"));

    [Theory]
    [InlineData("short1!")]
    [InlineData("elevenchars")]
    public void Check_ShorterThanTwelve_Fails(string password) =>
        Assert.Contains(PasswordPolicy.Check("alice", password), p => p.Contains("at least 12", StringComparison.Ordinal));

    [Fact]
    public void Check_TwelveCharacters_IsLongEnough() => Assert.Empty(PasswordPolicy.Check("alice", "kq7#vmz2pw9t"));

    [Fact]
    public void Check_EqualToUsername_Fails() =>
        Assert.Contains(PasswordPolicy.Check("release-robot", "Release-Robot"), p => p.Contains("username", StringComparison.Ordinal));

    [Theory]
    [InlineData("password1234")]
    [InlineData("Qwerty123456")]
    [InlineData("administrator")]
    [InlineData("zzzzzzzzzzzzzzzz")]
    public void Check_CommonPassword_Fails(string password) =>
        Assert.Contains(PasswordPolicy.Check("alice", password), p => p.Contains("too common", StringComparison.Ordinal));

    [Fact]
    public void Check_TooLong_Fails() =>
        Assert.Contains(PasswordPolicy.Check("alice", new string('x', 200) + new string('y', 100)), p => p.Contains("at most", StringComparison.Ordinal));

    [Fact]
    public void Check_SeveralRulesBroken_ReportsEach() => Assert.Equal(3, PasswordPolicy.Check("aaaa", "aaaa").Count);
}
