using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bulwark.Signing.Formats;

/// <summary>
/// A DSSE envelope (secure-systems-lab/dsse, v1): the signature is over the pre-authentication encoding
/// <c>"DSSEv1" SP len(type) SP type SP len(body) SP body</c>, never over the bare payload.
/// </summary>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<byte[]> Signatures)
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>PAE(type, body) from the DSSE protocol.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        return [.. header, .. type, .. middle, .. payload];
    }

    public void WriteTo(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteBase64String("payload", Payload);
        json.WriteString("payloadType", PayloadType);
        json.WriteStartArray("signatures");
        foreach (var signature in Signatures)
        {
            json.WriteStartObject();
            json.WriteBase64String("sig", signature);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <exception cref="SignatureFormatException">Missing fields or bad base64.</exception>
    public static DsseEnvelope Read(JsonElement element)
    {
        try
        {
            var signatures = element.GetProperty("signatures").EnumerateArray().Take(16)
                .Select(s => s.GetProperty("sig").GetBytesFromBase64()).ToList();
            return new DsseEnvelope(element.GetProperty("payloadType").GetString() ?? "", element.GetProperty("payload").GetBytesFromBase64(), signatures);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SignatureFormatException("DSSE envelope: missing payload, payloadType or signatures, or bad base64");
        }
    }
}
