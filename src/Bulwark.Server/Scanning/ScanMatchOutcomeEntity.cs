namespace Bulwark.Server.Scanning;

/// <summary>
/// What an image's stored match came to, as one hash: its findings (key, rating and document of each) and its warnings.
/// Written in the transaction that writes those findings, so that a re-match whose outcome hashes the same knows,
/// without reading a finding back, that the stored open findings, severity counts and warnings are exactly what it
/// found: nothing is written for it but its match time. An image without this row (stored before it existed) is diffed
/// and written in full, and gets the row then.
/// </summary>
public sealed class ScanMatchOutcomeEntity
{
    public required string ManifestDigest { get; set; }

    /// <summary>Hex SHA-256 of the outcome (<see cref="ScanResultStore"/> computes it).</summary>
    public required string Sha256 { get; set; }
}
