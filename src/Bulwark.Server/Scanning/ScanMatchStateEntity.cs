namespace Bulwark.Server.Scanning;

/// <summary>
/// Marks a stored image as indexed for re-matching (its <see cref="ScanPackageKeyEntity"/> rows are complete) and keeps
/// what its last match's warnings depended on besides its packages' advisories: the ecosystems it was looked up in and
/// the database's state then (<see cref="MatchIndexEntry.DatabaseState"/>). An image without this row is re-matched after
/// every update (and gets its rows then).
/// </summary>
public sealed class ScanMatchStateEntity
{
    public required string ManifestDigest { get; set; }

    /// <summary>The ecosystems (<c>Debian:12</c>, <c>Go</c>…) of the image's package keys, one per line, sorted.</summary>
    public required string Ecosystems { get; set; }

    /// <summary><see cref="MatchIndexEntry.DatabaseState"/> of the last match.</summary>
    public required string DatabaseState { get; set; }
}
