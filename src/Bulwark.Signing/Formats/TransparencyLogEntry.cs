using System.Security.Cryptography;
using System.Text.Json;

namespace Bulwark.Signing.Formats;

/// <summary>
/// A Rekor entry in a bundle: its canonicalized body and, when present, the RFC 6962 inclusion proof. Bulwark checks
/// that the body describes the bundle's own signature and that the proof leads to the stated root; it does not check
/// Rekor's signatures (that needs a trusted root, which key-based verification does not use).
/// </summary>
public sealed record TransparencyLogEntry(string Kind, byte[] CanonicalizedBody, InclusionProof? Proof)
{
    internal static TransparencyLogEntry Read(JsonElement entry)
    {
        var kind = entry.GetProperty("kindVersion").GetProperty("kind").GetString() ?? "";
        var body = entry.GetProperty("canonicalizedBody").GetBytesFromBase64();
        InclusionProof? proof = null;
        if (entry.TryGetProperty("inclusionProof", out var p))
        {
            var hashes = p.GetProperty("hashes").EnumerateArray().Take(64).Select(x => x.GetBytesFromBase64()).ToList();
            proof = new InclusionProof(long.Parse(p.GetProperty("logIndex").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(p.GetProperty("treeSize").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                p.GetProperty("rootHash").GetBytesFromBase64(), hashes,
                p.TryGetProperty("checkpoint", out var c) ? c.GetProperty("envelope").GetString() : null);
        }

        return new TransparencyLogEntry(kind, body, proof);
    }

    /// <summary>RFC 9162 §2.1.3.2: recompute the root from the leaf hash and the audit path.</summary>
    public bool ProofHolds()
    {
        if (Proof is not { } proof || proof.LeafIndex < 0 || proof.LeafIndex >= proof.TreeSize)
        {
            return Proof is null;
        }

        var node = SHA256.HashData([0x00, .. CanonicalizedBody]);
        var fn = proof.LeafIndex;
        var sn = proof.TreeSize - 1;
        foreach (var sibling in proof.Hashes)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                node = SHA256.HashData([0x01, .. sibling, .. node]);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                node = SHA256.HashData([0x01, .. node, .. sibling]);
            }

            fn >>= 1;
            sn >>= 1;
        }

        var checkpointAgrees = proof.Checkpoint is null
            || proof.Checkpoint.Split('\n') is { Length: > 2 } lines && lines[2] == Convert.ToBase64String(proof.RootHash);
        return sn == 0 && CryptographicOperations.FixedTimeEquals(node, proof.RootHash) && checkpointAgrees;
    }
}

/// <summary>An inclusion proof of one log entry (leaf index within the log shard, tree size, root, audit path).</summary>
public sealed record InclusionProof(long LeafIndex, long TreeSize, byte[] RootHash, IReadOnlyList<byte[]> Hashes, string? Checkpoint);
