using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Audit.Records;

/// <summary>
/// The canonical serialization that audit hashes and checkpoint signatures are computed over: RFC 8785 (JCS)
/// for the fixed set of members a record has — members sorted by UTF-16 code units, no whitespace, UTF-8,
/// strings escaped as ECMAScript's JSON.stringify does, integers in plain decimal, absent values as explicit
/// <c>null</c>. docs/audit.md specifies it byte by byte; changing anything here invalidates every stored hash.
/// </summary>
public static class AuditCanonicalForm
{
    /// <summary>The canonical form of <paramref name="record"/> without its hash: the bytes that are hashed.</summary>
    public static byte[] Serialize(AuditRecord record) => Serialize(record, includeHash: false);

    /// <summary>The canonical form with the <c>hash</c> member in its sorted place: one line of an export.</summary>
    public static byte[] SerializeWithHash(AuditRecord record) => Serialize(record, includeHash: true);

    /// <summary>Lower-case hex SHA-256 of <see cref="Serialize(AuditRecord)"/>.</summary>
    public static string ComputeHash(AuditRecord record) =>
        Convert.ToHexStringLower(SHA256.HashData(Serialize(record, includeHash: false)));

    /// <summary>The canonical payload a checkpoint signature covers.</summary>
    public static byte[] SerializeCheckpointPayload(long sequence, string headHash, DateTimeOffset time)
    {
        var w = new ArrayBufferWriter<byte>(256);
        Raw(w, "{\"headHash\":");
        String(w, headHash);
        Raw(w, ",\"sequence\":");
        Integer(w, sequence);
        Raw(w, ",\"time\":");
        String(w, FormatTime(time));
        Raw(w, ",\"type\":");
        String(w, CheckpointPayloadType);
        Raw(w, "}");
        return w.WrittenSpan.ToArray();
    }

    /// <summary>Distinguishes checkpoint signatures from anything else the key could be asked to sign.</summary>
    public const string CheckpointPayloadType = "bulwark.audit.checkpoint/v1";

    /// <summary>UTC, millisecond precision, always three fraction digits: <c>2026-01-01T00:00:00.000Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Serialize(AuditRecord record, bool includeHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        var w = new ArrayBufferWriter<byte>(512);
        Raw(w, "{\"action\":");
        String(w, record.Action);
        Raw(w, ",\"actor\":{\"id\":");
        NullableString(w, record.Actor.Id);
        Raw(w, ",\"kind\":");
        String(w, record.Actor.Kind.ToWire());
        Raw(w, "},\"clientAddress\":");
        NullableString(w, record.ClientAddress);
        Raw(w, ",\"details\":");
        if (record.Details is null || record.Details.Count == 0)
        {
            Raw(w, "null");
        }
        else
        {
            WriteDetails(w, record.Details);
        }

        if (includeHash)
        {
            Raw(w, ",\"hash\":");
            String(w, record.Hash);
        }

        Raw(w, ",\"outcome\":");
        String(w, record.Outcome.ToWire());
        Raw(w, ",\"previousHash\":");
        String(w, record.PreviousHash);
        Raw(w, ",\"reason\":");
        NullableString(w, record.Reason);
        Raw(w, ",\"sequence\":");
        Integer(w, record.Sequence);
        Raw(w, ",\"target\":");
        NullableString(w, record.Target);
        Raw(w, ",\"time\":");
        String(w, FormatTime(record.Time));
        Raw(w, ",\"userAgent\":");
        NullableString(w, record.UserAgent);
        Raw(w, ",\"version\":");
        Integer(w, AuditRecord.FormatVersion);
        Raw(w, "}");
        return w.WrittenSpan.ToArray();
    }

    /// <summary>The details object alone, canonical; also how details are stored in the database.</summary>
    public static string SerializeDetails(IReadOnlyDictionary<string, string> details)
    {
        var w = new ArrayBufferWriter<byte>(128);
        WriteDetails(w, details);
        return Encoding.UTF8.GetString(w.WrittenSpan);
    }

    private static void WriteDetails(ArrayBufferWriter<byte> w, IReadOnlyDictionary<string, string> details)
    {
        ArgumentNullException.ThrowIfNull(details);
        Raw(w, "{");
        var first = true;
        // JCS sorts member names by their UTF-16 code units, which is what ordinal comparison does.
        foreach (var key in details.Keys.Order(StringComparer.Ordinal))
        {
            if (!first)
            {
                Raw(w, ",");
            }

            first = false;
            String(w, key);
            Raw(w, ":");
            String(w, details[key]);
        }

        Raw(w, "}");
    }

    private static void Raw(ArrayBufferWriter<byte> w, string ascii)
    {
        var span = w.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        w.Advance(ascii.Length);
    }

    private static void Integer(ArrayBufferWriter<byte> w, long value) =>
        Raw(w, value.ToString(CultureInfo.InvariantCulture));

    private static void NullableString(ArrayBufferWriter<byte> w, string? value)
    {
        if (value is null)
        {
            Raw(w, "null");
        }
        else
        {
            String(w, value);
        }
    }

    // RFC 8785 §3.2.2.2 (ECMAScript QuoteJSONString): escape '"', '\\' and C0 controls (short forms for
    // \b \t \n \f \r, else \u00xx in lower-case hex) and lone surrogates (\udxxx); everything else is literal UTF-8.
    private static void String(ArrayBufferWriter<byte> w, string value)
    {
        Raw(w, "\"");
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': Raw(w, "\\\""); continue;
                case '\\': Raw(w, "\\\\"); continue;
                case '\b': Raw(w, "\\b"); continue;
                case '\t': Raw(w, "\\t"); continue;
                case '\n': Raw(w, "\\n"); continue;
                case '\f': Raw(w, "\\f"); continue;
                case '\r': Raw(w, "\\r"); continue;
                default: break;
            }

            if (c < 0x20)
            {
                Raw(w, "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var n = new Rune(c, value[i + 1]).EncodeToUtf8(utf8);
                w.Write(utf8[..n]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                Raw(w, "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                var n = new Rune(c).EncodeToUtf8(utf8);
                w.Write(utf8[..n]);
            }
        }

        Raw(w, "\"");
    }
}
