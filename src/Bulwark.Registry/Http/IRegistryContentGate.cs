using Bulwark.Oci;
using Bulwark.Registry.Manifests;
using Microsoft.AspNetCore.Http;

namespace Bulwark.Registry.Http;

/// <summary>
/// An optional check on reads of content that exists and the caller may otherwise read (quarantine). Called after
/// <see cref="IRegistryAccessPolicy"/> has allowed the operation and the content was found; throwing a
/// <see cref="RegistryException"/> (DENIED) refuses it. Without a registered gate every read goes through.
/// </summary>
public interface IRegistryContentGate
{
    /// <summary>A manifest GET or HEAD, by tag or digest; <paramref name="manifest"/> is what the reference resolved to.</summary>
    Task CheckManifestAsync(HttpContext context, string repository, StoredManifest manifest, CancellationToken cancellationToken);

    /// <summary>A blob GET (not HEAD: push clients probe for existing blobs with HEAD, which returns no content).</summary>
    Task CheckBlobAsync(HttpContext context, string repository, Digest digest, CancellationToken cancellationToken);
}
