using System.Text.Json;
using Bulwark.Oci;

namespace Bulwark.Signing.Formats;

/// <summary>
/// An in-toto Statement v1 about one image (in-toto attestation framework): <c>subject</c> names the image and its
/// manifest digest. A signature without other claims uses cosign's predicate type <c>https://sigstore.dev/cosign/sign/v1</c>.
/// </summary>
public static class InTotoStatement
{
    public const string StatementType = "https://in-toto.io/Statement/v1";
    public const string CosignSignPredicateType = "https://sigstore.dev/cosign/sign/v1";

    public static byte[] ForImage(string name, Digest digest, string predicateType = CosignSignPredicateType)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("_type", StatementType);
            json.WriteStartArray("subject");
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteStartObject("digest");
            json.WriteString(digest.Algorithm, digest.Encoded);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("predicateType", predicateType);
            json.WriteStartObject("predicate");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The subject digests of a statement, as <c>algorithm:hex</c>.</summary>
    /// <exception cref="SignatureFormatException">Not an in-toto v1 statement.</exception>
    public static (string PredicateType, IReadOnlyList<Digest> Subjects) Read(ReadOnlySpan<byte> statement)
    {
        try
        {
            using var document = JsonDocument.Parse(statement.ToArray());
            var root = document.RootElement;
            if (root.GetProperty("_type").GetString() is not (StatementType or "https://in-toto.io/Statement/v0.1"))
            {
                throw new SignatureFormatException("in-toto statement: unknown _type");
            }

            var subjects = new List<Digest>();
            foreach (var subject in root.GetProperty("subject").EnumerateArray().Take(1024))
            {
                foreach (var digest in subject.GetProperty("digest").EnumerateObject())
                {
                    if (Digest.TryParse($"{digest.Name}:{digest.Value.GetString()}", out var parsed))
                    {
                        subjects.Add(parsed);
                    }
                }
            }

            return (root.GetProperty("predicateType").GetString() ?? "", subjects);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SignatureFormatException("in-toto statement: not the JSON of an in-toto statement");
        }
    }
}
