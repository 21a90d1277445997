using Bulwark.Identity.Passwords;

namespace Bulwark.Identity.Tests;

public sealed class PasswordHasherTests
{
    // Cheap parameters keep the suite fast; the format and checks are the same as with the defaults.
    private static readonly PasswordHasher Hasher = new(new Argon2Parameters { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 });

    [Fact]
    public void Verify_SamePassword_Succeeds()
    {
        var hash = Hasher.Hash("correct horse battery staple");
        Assert.True(PasswordHasher.Verify("correct horse battery staple", hash));
    }

    [Fact]
    public void Verify_WrongPassword_Fails()
    {
        var hash = Hasher.Hash("correct horse battery staple");
        Assert.False(PasswordHasher.Verify("correct horse battery stapler", hash));
        Assert.False(PasswordHasher.Verify("", hash));
    }

    [Fact]
    public void Hash_StoresAlgorithmParametersAndAFreshSaltEachTime()
    {
        var first = Hasher.Hash("the same password");
        var second = Hasher.Hash("the same password");
        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.Verify("the same password", second));
    }

    [Fact]
    public void Hash_DefaultParameters_AreOwaspMinimum()
    {
        var hash = new PasswordHasher().Hash("a default-cost password");
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("a default-cost password", hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=1024,t=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA")]
    public void Verify_MalformedHash_FailsWithoutThrowing(string encoded) =>
        Assert.False(PasswordHasher.Verify("anything at all", encoded));

    [Fact]
    public void Verify_HashWithOneByteChanged_Fails()
    {
        var hash = Hasher.Hash("correct horse battery staple");
        var last = hash[^1] == 'A' ? 'B' : 'A';
        Assert.False(PasswordHasher.Verify("correct horse battery staple", hash[..^1] + last));
    }

    [Fact]
    public void Verify_HashWithMiddleCharacterChanged_Fails()
    {
        var hash = Hasher.Hash("correct horse battery staple");
        var middle = hash.Length - 10;
        var replaced = hash[middle] == 'A' ? 'B' : 'A';
        Assert.False(PasswordHasher.Verify("correct horse battery staple", hash[..middle] + replaced + hash[(middle + 1)..]));
    }

    [Fact]
    public void Verify_NonCanonicalBase64InHash_Fails()
    {
        // 32 hash bytes are 43 base64 characters; the last carries 4 unused bits. Setting one of them keeps the decoded
        // bytes but changes the text, which must not verify.
        var hash = Hasher.Hash("correct horse battery staple");
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var index = alphabet.IndexOf(hash[^1], StringComparison.Ordinal);
        var sibling = alphabet[index ^ 1];
        Assert.False(PasswordHasher.Verify("correct horse battery staple", hash[..^1] + sibling));
    }
}
