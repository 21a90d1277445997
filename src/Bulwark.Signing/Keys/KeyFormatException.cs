namespace Bulwark.Signing.Keys;

/// <summary>Why a key could not be read.</summary>
public enum KeyError
{
    /// <summary>Not PEM, an unknown PEM type, or a structure that does not parse.</summary>
    Malformed,

    /// <summary>The key is encrypted and the passphrase does not open it.</summary>
    WrongPassphrase,

    /// <summary>The key is encrypted and no passphrase was given.</summary>
    PassphraseRequired,

    /// <summary>A well-formed key of a kind Bulwark does not sign with (only ECDSA P-256).</summary>
    Unsupported,
}

/// <summary>A key file or key text that cannot be used; the message says why, never the secret.</summary>
public sealed class KeyFormatException(KeyError error, string message) : Exception(message)
{
    public KeyError Error { get; } = error;
}
