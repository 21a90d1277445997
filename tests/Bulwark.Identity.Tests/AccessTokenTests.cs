using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Identity.Tests;

public sealed class AccessTokenTests : IDisposable
{
    private static readonly PrincipalRef Alice = new(Guid.NewGuid(), PrincipalKind.User, "alice");
    private static readonly TokenAccess[] Pull = [new(TokenAccess.RepositoryType, "team-a/app", ["content/read", "metadata/read"])];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TokenSigningKey _key = TokenSigningKey.Generate();
    private readonly IdentityOptions _options = new() { SigningKeyPath = "unused" };

    [Fact]
    public void Validate_FreshToken_ReturnsClaims()
    {
        var issued = Issuer().Issue(Alice, Pull);
        Assert.True(Validator().TryValidate(issued.Token, out var claims, out var rejection), rejection.ToString());
        Assert.Equal(Alice, claims.Principal);
        Assert.Equal(Pull[0], Assert.Single(claims.Access), new AccessComparer());
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(5), claims.ExpiresAt);
        Assert.Equal(Bulwark.Identity.Permissions.RegistryActions.ContentRead | Bulwark.Identity.Permissions.RegistryActions.MetadataRead,
            claims.ActionsOn("team-a/app"));
    }

    [Fact]
    public void Issue_HeaderHasEs256AndKid_PayloadHasRequiredClaims()
    {
        var parts = Issuer().Issue(Alice, Pull).Token.Split('.');
        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        Assert.Contains("\"alg\":\"ES256\"", header, StringComparison.Ordinal);
        Assert.Contains($"\"kid\":\"{_key.KeyId}\"", header, StringComparison.Ordinal);
        foreach (var claim in new[] { "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "access" })
        {
            Assert.Contains($"\"{claim}\":", payload, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_Anonymous_RoundTrips()
    {
        var issued = Issuer().Issue(PrincipalRef.Anonymous, []);
        Assert.True(Validator().TryValidate(issued.Token, out var claims, out _));
        Assert.True(claims.Principal.IsAnonymous);
    }

    [Fact]
    public void Validate_Expired_IsRefused()
    {
        var token = Issuer().Issue(Alice, Pull).Token;
        _time.Advance(TimeSpan.FromMinutes(5));
        AssertRefused(token, TokenRejection.Expired);
    }

    [Fact]
    public void Validate_ExpiredAfterBeingCached_IsRefused()
    {
        var token = Issuer().Issue(Alice, Pull).Token;
        var validator = Validator();
        Assert.True(validator.TryValidate(token, out _, out _));
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(validator.TryValidate(token, out _, out var rejection));
        Assert.Equal(TokenRejection.Expired, rejection);
    }

    [Fact]
    public void Validate_IssuedInTheFuture_IsRefused()
    {
        var future = new FakeTimeProvider(_time.GetUtcNow() + TimeSpan.FromMinutes(2));
        AssertRefused(new AccessTokenIssuer(_key, _options, future).Issue(Alice, Pull).Token, TokenRejection.NotYetValid);
    }

    [Fact]
    public void Validate_TamperedPayload_IsRefused()
    {
        var parts = Issuer().Issue(Alice, Pull).Token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("team-a/app", "team-b/app", StringComparison.Ordinal);
        AssertRefused($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}", TokenRejection.BadSignature);
    }

    [Fact]
    public void Validate_TamperedSignature_IsRefused()
    {
        var parts = Issuer().Issue(Alice, Pull).Token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 1;
        AssertRefused($"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(signature)}", TokenRejection.BadSignature);
    }

    [Fact]
    public void Validate_SignedByAnotherKeyWithOurKid_IsRefused()
    {
        using var other = TokenSigningKey.Generate();
        var forged = new AccessTokenIssuer(other, _options, _time).Issue(Alice, Pull).Token.Split('.');
        var ourHeader = Issuer().Issue(Alice, Pull).Token.Split('.')[0];
        AssertRefused($"{ourHeader}.{forged[1]}.{forged[2]}", TokenRejection.BadSignature);
    }

    [Fact]
    public void Validate_SignedByAnotherKey_IsRefusedAsUnknownKey() =>
        AssertRefused(new AccessTokenIssuer(TokenSigningKey.Generate(), _options, _time).Issue(Alice, Pull).Token, TokenRejection.UnknownKey);

    [Fact]
    public void Validate_AlgNone_IsRefused()
    {
        var parts = Issuer().Issue(Alice, Pull).Token.Split('.');
        var header = Encode($"{{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"{_key.KeyId}\"}}");
        AssertRefused($"{header}.{parts[1]}.", TokenRejection.Malformed);
        AssertRefused($"{header}.{parts[1]}.{parts[2]}", TokenRejection.UnsupportedAlgorithm);
    }

    [Fact]
    public void Validate_Hs256SignedWithThePublicKey_IsRefused()
    {
        // The classic algorithm-confusion forgery: HMAC keyed with the (public) verification key.
        var parts = Issuer().Issue(Alice, Pull).Token.Split('.');
        var header = Encode($"{{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"{_key.KeyId}\"}}");
        var mac = HMACSHA256.HashData(_key.Key.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes($"{header}.{parts[1]}"));
        AssertRefused($"{header}.{parts[1]}.{Base64Url.EncodeToString(mac)}", TokenRejection.UnsupportedAlgorithm);
    }

    [Fact]
    public void Validate_WrongAudience_IsRefused() =>
        AssertRefused(new AccessTokenIssuer(_key, _options with { Service = "other-registry" }, _time).Issue(Alice, Pull).Token,
            TokenRejection.WrongAudience);

    [Fact]
    public void Validate_WrongIssuer_IsRefused() =>
        AssertRefused(new AccessTokenIssuer(_key, _options with { Issuer = "someone-else" }, _time).Issue(Alice, Pull).Token,
            TokenRejection.WrongIssuer);

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!.??.**")]
    public void Validate_Garbage_IsRefusedAsMalformed(string token) => AssertRefused(token, TokenRejection.Malformed);

    [Fact]
    public void Validate_HeaderWithoutAlg_IsRefused() => AssertRefused("e30.e30.e30", TokenRejection.UnsupportedAlgorithm);

    public void Dispose() => _key.Dispose();

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private AccessTokenIssuer Issuer() => new(_key, _options, _time);

    private AccessTokenValidator Validator() => new(_key, _options, _time);

    private void AssertRefused(string token, TokenRejection expected)
    {
        Assert.False(Validator().TryValidate(token, out var claims, out var rejection));
        Assert.Null(claims);
        Assert.Equal(expected, rejection);
    }

    private sealed class AccessComparer : IEqualityComparer<TokenAccess>
    {
        public bool Equals(TokenAccess? x, TokenAccess? y) =>
            x is not null && y is not null && x.Type == y.Type && x.Name == y.Name && x.Actions.SequenceEqual(y.Actions);

        public int GetHashCode(TokenAccess obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
