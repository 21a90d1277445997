using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Bulwark.Oci;

/// <summary>
/// A content digest, <c>algorithm:encoded</c>, as defined by the OCI image spec (descriptor.md#digests).
/// Only the registered algorithms sha256 and sha512 are accepted; their encoded part must be lower-case hex
/// of the exact length.
/// </summary>
public readonly partial record struct Digest
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public string Algorithm { get; }

    public string Encoded { get; }

    public override string ToString() => Algorithm + ":" + Encoded;

    /// <summary>Parses a digest, throwing <see cref="FormatException"/> when it is malformed or unsupported.</summary>
    public static Digest Parse(string value) =>
        TryParse(value, out var digest) ? digest : throw new FormatException($"invalid digest '{Truncate(value)}'");

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest)
    {
        digest = default;
        if (value is null || value.Length > 200 || !Grammar().IsMatch(value))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var algorithm = value[..colon];
        var encoded = value[(colon + 1)..];
        var expectedLength = algorithm switch
        {
            Sha256 => 64,
            Sha512 => 128,
            _ => -1,
        };
        if (encoded.Length != expectedLength || !IsLowerHex(encoded))
        {
            return false;
        }

        digest = new Digest(algorithm, encoded);
        return true;
    }

    /// <summary>Creates an incremental hash for this digest's algorithm.</summary>
    public IncrementalHash CreateHash() => CreateHash(Algorithm);

    public static IncrementalHash CreateHash(string algorithm) => algorithm switch
    {
        Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
    };

    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) =>
        new(algorithm, Convert.ToHexStringLower(hash));

    public static Digest Compute(ReadOnlySpan<byte> content, string algorithm = Sha256) => algorithm switch
    {
        Sha256 => FromHash(Sha256, SHA256.HashData(content)),
        Sha512 => FromHash(Sha512, SHA512.HashData(content)),
        _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
    };

    public static async Task<Digest> ComputeAsync(Stream content, string algorithm, CancellationToken cancellationToken)
    {
        var hash = algorithm switch
        {
            Sha256 => await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false),
            Sha512 => await SHA512.HashDataAsync(content, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
        };
        return FromHash(algorithm, hash);
    }

    private static bool IsLowerHex(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    internal static string Truncate(string? value) =>
        value is null ? string.Empty : value.Length <= 80 ? value : value[..80] + "…";

    // image-spec descriptor.md: digest ::= algorithm ":" encoded
    [GeneratedRegex("^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
