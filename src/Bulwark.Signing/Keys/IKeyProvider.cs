namespace Bulwark.Signing.Keys;

/// <summary>
/// Where the server keeps its signing keys. The AES-GCM provider encrypts them at rest under a local master key; a KMS
/// provider can take its place without changing callers.
/// </summary>
public interface IKeyProvider
{
    /// <summary>Stores <paramref name="key"/> under <paramref name="name"/>, replacing a key of that name.</summary>
    Task StoreAsync(string name, SigningKey key, CancellationToken cancellationToken);

    /// <summary>The key stored under <paramref name="name"/>, or null when there is none.</summary>
    /// <exception cref="KeyFormatException">The stored key cannot be opened (another master key, or altered).</exception>
    Task<SigningKey?> GetAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>True when a key was deleted.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
