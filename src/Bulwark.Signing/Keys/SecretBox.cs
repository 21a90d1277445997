using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Bulwark.Signing.Keys;

/// <summary>
/// NaCl <c>crypto_secretbox</c> (XSalsa20-Poly1305) as golang.org/x/crypto/nacl/secretbox writes it: the first 32
/// bytes of the XSalsa20 key stream are the one-time Poly1305 key, the rest encrypts the message, and the box is the
/// 16-byte tag followed by the ciphertext. Built from BouncyCastle's XSalsa20 and Poly1305 primitives.
/// </summary>
internal static class SecretBox
{
    public const int KeySize = 32;
    public const int NonceSize = 24;
    public const int TagSize = 16;

    public static byte[] Seal(ReadOnlySpan<byte> message, byte[] nonce, byte[] key)
    {
        var cipher = CreateStream(nonce, key, out var macKey);
        var box = new byte[TagSize + message.Length];
        cipher.ProcessBytes(message, box.AsSpan(TagSize));
        Authenticate(macKey, box.AsSpan(TagSize), box.AsSpan(0, TagSize));
        CryptographicOperations.ZeroMemory(macKey);
        return box;
    }

    /// <summary>The message, or null when the tag does not match (wrong key, or tampered box).</summary>
    public static byte[]? Open(ReadOnlySpan<byte> box, byte[] nonce, byte[] key)
    {
        if (box.Length < TagSize)
        {
            return null;
        }

        var cipher = CreateStream(nonce, key, out var macKey);
        Span<byte> tag = stackalloc byte[TagSize];
        Authenticate(macKey, box[TagSize..], tag);
        CryptographicOperations.ZeroMemory(macKey);
        if (!CryptographicOperations.FixedTimeEquals(tag, box[..TagSize]))
        {
            return null;
        }

        var message = new byte[box.Length - TagSize];
        cipher.ProcessBytes(box[TagSize..], message);
        return message;
    }

    private static XSalsa20Engine CreateStream(byte[] nonce, byte[] key, out byte[] macKey)
    {
        if (key.Length != KeySize || nonce.Length != NonceSize)
        {
            throw new ArgumentException("secretbox needs a 32-byte key and a 24-byte nonce");
        }

        var cipher = new XSalsa20Engine();
        cipher.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        macKey = new byte[32];
        cipher.ProcessBytes(new byte[32], macKey);
        return cipher;
    }

    private static void Authenticate(byte[] macKey, ReadOnlySpan<byte> ciphertext, Span<byte> tag)
    {
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        mac.BlockUpdate(ciphertext);
        mac.DoFinal(tag);
    }
}
