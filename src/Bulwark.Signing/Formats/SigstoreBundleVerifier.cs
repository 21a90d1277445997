using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Oci;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Formats;

/// <summary>
/// Key-based verification of a Sigstore bundle: the DSSE signature over PAE(payloadType, payload), or the message
/// signature over the artifact digest, must verify with the key; the signed subject must be the expected digest; a
/// hashedrekord log entry must describe this very signature, digest and key, and its inclusion proof must hold.
/// </summary>
public static class SigstoreBundleVerifier
{
    public static BundleVerification Verify(SigstoreBundle bundle, VerificationKey key, Digest? expectedSubject)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(key);
        if (bundle.Envelope is { } envelope)
        {
            if (envelope.PayloadType != DsseEnvelope.InTotoPayloadType)
            {
                return Fail($"DSSE payload type '{envelope.PayloadType}' is not an in-toto statement");
            }

            var pae = DsseEnvelope.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload);
            if (!envelope.Signatures.Any(s => key.Verify(pae, s)))
            {
                return Fail("the DSSE signature does not verify with the key");
            }

            IReadOnlyList<Digest> subjects;
            try
            {
                subjects = InTotoStatement.Read(envelope.Payload).Subjects;
            }
            catch (SignatureFormatException e)
            {
                return Fail(e.Message);
            }

            if (expectedSubject is { } expected && !subjects.Contains(expected))
            {
                return new BundleVerification(false, $"the statement is about {string.Join(", ", subjects)}, not {expected}", subjects);
            }

            return CheckLog(bundle, key, null, envelope.Signatures[0]) is { } logProblem
                ? new BundleVerification(false, logProblem, subjects)
                : new BundleVerification(true, "DSSE signature verified", subjects);
        }

        var (digest, signature) = bundle.MessageSignature!.Value;
        var artifact = Digest.FromHash(Digest.Sha256, digest);
        IReadOnlyList<Digest> signed = [artifact];
        if (!key.VerifyDigest(digest, signature))
        {
            return new BundleVerification(false, "the message signature does not verify with the key", signed);
        }

        if (expectedSubject is { } want && want != artifact)
        {
            return new BundleVerification(false, $"the signature is for {artifact}, not {want}", signed);
        }

        return CheckLog(bundle, key, digest, signature) is { } problem
            ? new BundleVerification(false, problem, signed)
            : new BundleVerification(true, "message signature verified", signed);
    }

    private static string? CheckLog(SigstoreBundle bundle, VerificationKey key, byte[]? digest, byte[] signature)
    {
        foreach (var entry in bundle.LogEntries)
        {
            if (!entry.ProofHolds())
            {
                return "the transparency log inclusion proof does not lead to its root hash";
            }

            if (entry.Kind == "hashedrekord" && digest is not null && DescribesOtherSignature(entry.CanonicalizedBody, key, digest, signature))
            {
                return "the transparency log entry describes another signature, digest or key";
            }
        }

        return null;
    }

    /// <summary>A hashedrekord v0.0.1 body: <c>spec.data.hash.value</c>, <c>spec.signature.content</c>, <c>spec.signature.publicKey.content</c>.</summary>
    private static bool DescribesOtherSignature(byte[] body, VerificationKey key, byte[] digest, byte[] signature)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var spec = document.RootElement.GetProperty("spec");
            var hash = spec.GetProperty("data").GetProperty("hash").GetProperty("value").GetString();
            var content = spec.GetProperty("signature").GetProperty("content").GetBytesFromBase64();
            var publicKey = Encoding.UTF8.GetString(spec.GetProperty("signature").GetProperty("publicKey").GetProperty("content").GetBytesFromBase64());
            var logged = VerificationKey.FromPem(publicKey);
            return hash != Convert.ToHexStringLower(digest) || !CryptographicOperations.FixedTimeEquals(content, signature)
                || logged.Fingerprint != key.Fingerprint;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or KeyFormatException)
        {
            return true;
        }
    }

    private static BundleVerification Fail(string detail) => new(false, detail, []);
}
