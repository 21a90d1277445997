namespace Bulwark.Server.Scanning;

/// <summary>
/// One row of the re-match index: a stored image holds a package looked up by this key (ecosystem, release, normalized
/// name — the advisory store's package key). After an advisory update only images holding a key the update changed are
/// matched again. Written with the image's <see cref="ScanMatchStateEntity"/>, in the same transaction.
/// </summary>
public sealed class ScanPackageKeyEntity
{
    public required string ManifestDigest { get; set; }

    public required string Ecosystem { get; set; }

    public required string Release { get; set; }

    public required string Name { get; set; }
}
