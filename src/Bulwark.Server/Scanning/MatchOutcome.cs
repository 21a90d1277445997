using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Server.Scanning;

/// <summary>
/// An image's match outcome as <see cref="ScanMatchOutcomeEntity"/> records it: a hash of each finding (its key, stored
/// rating and document) and one of the whole (every finding's, and the warnings' JSON) — all that storing the outcome
/// writes besides the times. With them, storing a match reads no stored document: an outcome that hashes the same
/// writes nothing, and of the others only the findings that appeared, vanished or whose hash moved are written.
/// </summary>
internal sealed class MatchOutcome
{
    /// <summary>Bytes of a finding's hash kept (hex: twice as many characters); a collision needs two documents of one image.</summary>
    private const int FindingHashBytes = 16;

    private MatchOutcome(string sha256, string findings, Dictionary<string, string> hashes)
    {
        Sha256 = sha256;
        Findings = findings;
        FindingHashes = hashes;
    }

    /// <summary>Hex SHA-256 of the whole outcome.</summary>
    public string Sha256 { get; }

    /// <summary>One line per finding, in key order: key, a space, the finding's hash (<see cref="ScanMatchOutcomeEntity.Findings"/>).</summary>
    public string Findings { get; }

    /// <summary>Each finding's hash by key.</summary>
    public IReadOnlyDictionary<string, string> FindingHashes { get; }

    /// <summary>The rating as <see cref="ScanFindingEntity.Severity"/> stores it.</summary>
    public static string StoredSeverity(ScannedFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var rating = (int)finding.Severity;
        return (uint)rating < (uint)StoredSeverities.Length ? StoredSeverities[rating] : finding.Severity.ToString().ToLowerInvariant();
    }

    /// <summary>Each rating's stored name, made once (every finding of a re-match is hashed with it).</summary>
    private static readonly string[] StoredSeverities = [.. Enum.GetValues<SeverityRating>().Select(r => r.ToString().ToLowerInvariant())];

    /// <summary>The outcome of findings (deduplicated by key) and warnings (their stored JSON).</summary>
    public static MatchOutcome Of(IReadOnlyDictionary<string, ScannedFinding> findings, string warnings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(warnings);
        var hashes = new Dictionary<string, string>(findings.Count, StringComparer.Ordinal);
        var lines = new StringBuilder(findings.Count * 100);
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var one = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(whole, warnings);
        foreach (var (key, finding) in findings.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            Append(one, key);
            Append(one, StoredSeverity(finding));
            finding.HashDocument(one);
            var hash = Convert.ToHexStringLower(one.GetHashAndReset().AsSpan(0, FindingHashBytes));
            hashes[key] = hash;
            lines.Append(key).Append(' ').Append(hash).Append('\n');
        }

        var text = lines.ToString();
        Append(whole, text);
        return new MatchOutcome(Convert.ToHexStringLower(whole.GetHashAndReset()), text, hashes);
    }

    /// <summary>The findings' hashes of a stored outcome (<see cref="Findings"/>); lines that are not "key hash" are ignored.</summary>
    public static IReadOnlyDictionary<string, string> ParseFindings(string findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in findings.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                hashes[line[..space]] = line[(space + 1)..];
            }
        }

        return hashes;
    }

    /// <summary>Adds text to a hash: its UTF-8 length (32-bit little endian), then its UTF-8 bytes — length-prefixed, so that no two sequences of strings hash the same bytes.</summary>
    internal static void Append(IncrementalHash hash, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            AppendUtf8(hash, buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Adds text given as UTF-8 bytes, as <see cref="Append"/> adds it.</summary>
    internal static void AppendUtf8(IncrementalHash hash, ReadOnlySpan<byte> utf8)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        hash.AppendData(length);
        hash.AppendData(utf8);
    }
}
