using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Identity.Principals;

namespace Bulwark.Identity.Tokens;

/// <summary>
/// Signs access tokens: compact JWS (RFC 7515) with ES256 and a <c>kid</c>; claims <c>iss</c>, <c>sub</c>,
/// <c>aud</c>, <c>exp</c>, <c>nbf</c>, <c>iat</c>, <c>jti</c> and the distribution token spec's <c>access</c>,
/// plus <c>name</c> and <c>kind</c> of the principal for audit records.
/// </summary>
public sealed class AccessTokenIssuer(TokenSigningKey key, IdentityOptions options, TimeProvider time)
{
    private readonly byte[] _header = Encoding.UTF8.GetBytes(Base64Url.EncodeToString(
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = key.KeyId },
            IdentityJsonContext.Default.DictionaryStringString)));

    public IssuedAccessToken Issue(PrincipalRef principal, IReadOnlyList<TokenAccess> access)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(access);
        var now = time.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var payload = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("iss", options.Issuer);
            json.WriteString("sub", principal.IsAnonymous ? "" : principal.Id.ToString("N"));
            json.WriteString("name", principal.Name);
            json.WriteString("kind", PrincipalKinds.Format(principal.Kind));
            json.WriteString("aud", options.Service);
            json.WriteNumber("exp", (issuedAt + options.AccessTokenLifetime).ToUnixTimeSeconds());
            json.WriteNumber("nbf", issuedAt.ToUnixTimeSeconds());
            json.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            json.WriteString("jti", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
            json.WritePropertyName("access");
            JsonSerializer.Serialize(json, access, IdentityJsonContext.Default.IReadOnlyListTokenAccess);
            json.WriteEndObject();
        }

        var signingInput = new byte[_header.Length + 1 + Base64Url.GetEncodedLength(payload.WrittenCount)];
        _header.CopyTo(signingInput, 0);
        signingInput[_header.Length] = (byte)'.';
        Base64Url.EncodeToUtf8(payload.WrittenSpan, signingInput.AsSpan(_header.Length + 1));
        // JWS ES256 (RFC 7518 §3.4): the raw 64-byte r||s, which is .NET's IEEE P1363 format.
        var signature = key.Key.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var token = Encoding.ASCII.GetString(signingInput) + "." + Base64Url.EncodeToString(signature);
        return new IssuedAccessToken(token, issuedAt, options.AccessTokenLifetime, access);
    }
}
