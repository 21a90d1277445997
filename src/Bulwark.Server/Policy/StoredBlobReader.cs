using System.Security.Cryptography;
using Bulwark.Oci;
using RegistryBlobStore = Bulwark.Registry.Storage.IBlobStore;

namespace Bulwark.Server.Policy;

/// <summary>Reads small blobs (image configs, signature payloads, bundles) of this registry whole, bounded and digest-checked.</summary>
public sealed class StoredBlobReader(RegistryBlobStore blobs)
{
    /// <summary>A blob's bytes when it is stored, at most <paramref name="limit"/> bytes long, and matches its digest; else null.</summary>
    public async Task<byte[]?> ReadAsync(Descriptor descriptor, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size < 0 || descriptor.Size > limit || !Digest.TryParse(descriptor.Digest, out var digest) || digest.Algorithm != Digest.Sha256)
        {
            return null;
        }

        var stream = await blobs.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream)
        {
            var buffer = new byte[descriptor.Size];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total == buffer.Length && Convert.ToHexStringLower(SHA256.HashData(buffer)) == digest.Encoded ? buffer : null;
        }
    }
}
