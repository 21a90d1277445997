namespace Bulwark.Signing.Images;

/// <summary>Where and how a signature of an image is stored.</summary>
public enum SignatureForm
{
    /// <summary>cosign's tag convention: simple-signing layers of the manifest tagged <c>sha256-&lt;hex&gt;.sig</c>.</summary>
    SimpleSigning,

    /// <summary>An OCI 1.1 referrer of the image carrying a Sigstore bundle (DSSE over an in-toto statement).</summary>
    SigstoreBundle,
}
