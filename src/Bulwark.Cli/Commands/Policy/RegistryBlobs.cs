using System.Security.Cryptography;
using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Oci;

namespace Bulwark.Cli.Commands.Policy;

/// <summary>Reads a small blob (config, payload, bundle) whole within a byte limit and checks its digest.</summary>
internal static class RegistryBlobs
{
    public static async Task<byte[]> ReadAsync(RegistryClient client, Descriptor descriptor, int limit, CancellationToken cancellationToken)
    {
        if (descriptor.Size > limit || descriptor.Size < 0)
        {
            throw new ImageSourceException($"blob {descriptor.Digest} is {descriptor.Size} bytes, over the limit of {limit}");
        }

        if (!Digest.TryParse(descriptor.Digest, out var expected) || expected.Algorithm != Digest.Sha256)
        {
            throw new ImageSourceException($"'{descriptor.Digest}' is not a sha256 digest");
        }

        await using var body = await client.OpenBlobAsync(descriptor.Digest, cancellationToken);
        var buffer = new byte[descriptor.Size];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        var extra = new byte[1];
        if (total != buffer.Length || await body.ReadAsync(extra, cancellationToken) != 0)
        {
            throw new ImageSourceException($"blob {descriptor.Digest} is not {descriptor.Size} bytes long");
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer)) == expected.Encoded ? buffer
            : throw new HostileImageException(HostileImageReason.DigestMismatch, $"blob does not match digest {descriptor.Digest}");
    }
}
