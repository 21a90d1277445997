using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Identity.Principals;

namespace Bulwark.Identity.Tokens;

/// <summary>
/// Verifies access tokens strictly: compact JWS with exactly <c>alg: ES256</c> (so <c>none</c> and HMAC
/// algorithms are refused before any key is touched), our <c>kid</c>, a valid signature, our issuer and
/// audience, and <c>exp</c>/<c>nbf</c>/<c>iat</c> checked against the injected clock. Verified tokens are
/// remembered until they expire, so a client reusing one token costs one ECDSA verification.
/// </summary>
public sealed class AccessTokenValidator(TokenSigningKey key, IdentityOptions options, TimeProvider time)
{
    private const int MaxTokenLength = 16 * 1024;
    private const int MaxCachedTokens = 10_000;

    private readonly ConcurrentDictionary<string, AccessTokenClaims> _verified = new(StringComparer.Ordinal);

    public bool TryValidate(string token, [NotNullWhen(true)] out AccessTokenClaims? claims, out TokenRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(token, out claims))
        {
            if (now < claims.ExpiresAt)
            {
                rejection = TokenRejection.None;
                return true;
            }

            _verified.TryRemove(token, out _);
        }

        claims = null;
        rejection = Validate(token, now, out var parsed);
        if (rejection != TokenRejection.None)
        {
            return false;
        }

        if (_verified.Count >= MaxCachedTokens)
        {
            _verified.Clear();
        }

        _verified[token] = parsed!;
        claims = parsed!;
        return true;
    }

    private TokenRejection Validate(string token, DateTimeOffset now, out AccessTokenClaims? claims)
    {
        claims = null;
        if (token.Length > MaxTokenLength)
        {
            return TokenRejection.Malformed;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !TryDecode(parts[0], out var headerBytes) || !TryDecode(parts[1], out var payloadBytes)
            || !TryDecode(parts[2], out var signature))
        {
            return TokenRejection.Malformed;
        }

        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            var h = header.RootElement;
            if (h.ValueKind != JsonValueKind.Object)
            {
                return TokenRejection.Malformed;
            }

            if (!h.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "ES256")
            {
                return TokenRejection.UnsupportedAlgorithm;
            }

            if (h.TryGetProperty("crit", out _))
            {
                return TokenRejection.Malformed;
            }

            if (!h.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String || kid.GetString() != key.KeyId)
            {
                return TokenRejection.UnknownKey;
            }

            var signingInput = Encoding.ASCII.GetBytes(token[..(parts[0].Length + 1 + parts[1].Length)]);
            if (signature.Length != 64
                || !key.Key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return TokenRejection.BadSignature;
            }

            using var payload = JsonDocument.Parse(payloadBytes);
            return ReadClaims(payload.RootElement, now, out claims);
        }
        catch (JsonException)
        {
            return TokenRejection.Malformed;
        }
    }

    private TokenRejection ReadClaims(JsonElement p, DateTimeOffset now, out AccessTokenClaims? claims)
    {
        claims = null;
        if (p.ValueKind != JsonValueKind.Object || !TryString(p, "iss", out var issuer) || !TryString(p, "sub", out var subject)
            || !TryString(p, "jti", out var tokenId) || !TryTime(p, "exp", out var expires) || !TryTime(p, "nbf", out var notBefore)
            || !TryTime(p, "iat", out var issuedAt) || !p.TryGetProperty("aud", out var audience)
            || !p.TryGetProperty("access", out var accessElement) || accessElement.ValueKind != JsonValueKind.Array)
        {
            return TokenRejection.Malformed;
        }

        if (issuer != options.Issuer)
        {
            return TokenRejection.WrongIssuer;
        }

        var audienceMatches = audience.ValueKind switch
        {
            JsonValueKind.String => audience.GetString() == options.Service,
            JsonValueKind.Array => audience.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == options.Service),
            _ => false,
        };
        if (!audienceMatches)
        {
            return TokenRejection.WrongAudience;
        }

        if (now >= expires)
        {
            return TokenRejection.Expired;
        }

        if (notBefore > now + options.ClockSkew || issuedAt > now + options.ClockSkew)
        {
            return TokenRejection.NotYetValid;
        }

        var access = accessElement.Deserialize(IdentityJsonContext.Default.ListTokenAccess);
        if (access is null || access.Any(a => a is null || a.Type is null || a.Name is null || a.Actions is null))
        {
            return TokenRejection.Malformed;
        }

        PrincipalRef principal;
        if (subject.Length == 0)
        {
            principal = PrincipalRef.Anonymous;
        }
        else if (Guid.TryParseExact(subject, "N", out var id) && TryString(p, "name", out var name) && TryString(p, "kind", out var kindText)
            && PrincipalKinds.TryParse(kindText, out var kind) && kind != PrincipalKind.Anonymous)
        {
            principal = new PrincipalRef(id, kind.Value, name);
        }
        else
        {
            return TokenRejection.Malformed;
        }

        claims = new AccessTokenClaims(principal, tokenId, expires, access);
        return TokenRejection.None;
    }

    private static bool TryString(JsonElement element, string name, out string value)
    {
        value = "";
        if (!element.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = property.GetString()!;
        return true;
    }

    private static bool TryTime(JsonElement element, string name, out DateTimeOffset value)
    {
        value = default;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.Number
            || !property.TryGetInt64(out var seconds) || seconds is < 0 or > 253_402_300_799)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    private static bool TryDecode(string part, out byte[] bytes)
    {
        bytes = [];
        if (part.Length == 0 || part.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        bytes = Base64Url.DecodeFromChars(part);
        return true;
    }
}
