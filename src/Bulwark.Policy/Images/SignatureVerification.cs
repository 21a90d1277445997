using System.Text.Json;
using Bulwark.Oci;
using Bulwark.Signing.Formats;

namespace Bulwark.Policy.Images;

/// <summary>Verifies one found signature against one trusted key and the image digest, in whichever form it came.</summary>
internal static class SignatureVerification
{
    /// <summary>
    /// <see cref="SignatureVerdict.Verified"/>; <see cref="SignatureVerdict.OtherDigest"/> or <see cref="SignatureVerdict.Invalid"/>
    /// with the detail worth reporting; or <see cref="SignatureVerdict.NotThisKey"/> when it is simply not this key's signature.
    /// </summary>
    public static (SignatureVerdict Verdict, string? Detail) Verify(SignedMaterial material, TrustedKey key, Digest digest)
    {
        switch (material)
        {
            case SimpleSigningMaterial simple:
                if (!key.Key.Verify(simple.Payload, simple.Signature))
                {
                    return (SignatureVerdict.NotThisKey, null);
                }

                try
                {
                    var payload = SimpleSigningPayload.Parse(simple.Payload);
                    return payload.ManifestDigest == digest
                        ? (SignatureVerdict.Verified, null)
                        : (SignatureVerdict.OtherDigest, $"the payload signs {payload.ManifestDigest}, not this image ({digest})");
                }
                catch (SignatureFormatException e)
                {
                    return (SignatureVerdict.Invalid, e.Message);
                }

            default:
                if (ReadEnvelope(material, out var problem) is not { } bundle)
                {
                    return (SignatureVerdict.Invalid, problem);
                }

                if (bundle.Envelope is { } envelope)
                {
                    try
                    {
                        if (InTotoStatement.Read(envelope.Payload).PredicateType != InTotoStatement.CosignSignPredicateType)
                        {
                            return (SignatureVerdict.NotThisKey, null);
                        }
                    }
                    catch (SignatureFormatException e)
                    {
                        return (SignatureVerdict.Invalid, e.Message);
                    }
                }

                var outcome = SigstoreBundleVerifier.Verify(bundle, key.Key, digest);
                if (outcome.Verified)
                {
                    return (SignatureVerdict.Verified, null);
                }

                // A signature by another key is not a problem of this key; another subject or a bad log entry is.
                if (outcome.Detail.Contains("does not verify with the key", StringComparison.Ordinal))
                {
                    return (SignatureVerdict.NotThisKey, null);
                }

                return outcome.Subjects.Count > 0 && !outcome.Subjects.Contains(digest)
                    ? (SignatureVerdict.OtherDigest, outcome.Detail)
                    : (SignatureVerdict.Invalid, outcome.Detail);
        }
    }

    /// <summary>The material as a bundle: Sigstore bundles as they are, bare DSSE envelopes wrapped without verification material.</summary>
    public static SigstoreBundle? ReadEnvelope(SignedMaterial material, out string? problem)
    {
        problem = null;
        try
        {
            switch (material)
            {
                case SigstoreBundleMaterial bundle:
                    return SigstoreBundle.Parse(bundle.Bundle);
                case DsseEnvelopeMaterial dsse:
                    if (dsse.Envelope.Length > SigstoreBundle.MaxBytes)
                    {
                        problem = $"DSSE envelope is larger than {SigstoreBundle.MaxBytes} bytes";
                        return null;
                    }

                    using (var document = JsonDocument.Parse(dsse.Envelope, new JsonDocumentOptions { MaxDepth = 32 }))
                    {
                        return new SigstoreBundle { MediaType = SigstoreBundle.MediaTypeV03, Envelope = DsseEnvelope.Read(document.RootElement) };
                    }

                default:
                    problem = "a simple-signing payload is not an attestation";
                    return null;
            }
        }
        catch (SignatureFormatException e)
        {
            problem = e.Message;
        }
        catch (JsonException)
        {
            problem = "DSSE envelope is not complete JSON";
        }

        if (material is SigstoreBundleMaterial && problem is null)
        {
            problem = "the Sigstore bundle cannot be read";
        }

        return null;
    }
}
