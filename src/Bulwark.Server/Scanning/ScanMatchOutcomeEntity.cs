namespace Bulwark.Server.Scanning;

/// <summary>
/// What an image's stored match came to (<see cref="MatchOutcome"/>): a hash of the whole — its findings (key, rating and
/// document of each) and its warnings — and one per finding. Written in the transaction that writes those findings, so
/// that a re-match whose outcome hashes the same knows, without reading a finding back, that the stored open findings,
/// severity counts and warnings are exactly what it found: nothing is written for it but its match time; and one whose
/// outcome differs writes only the findings whose hash moved. An image without this row (stored before it existed) has
/// the documents of all its open findings written once, and gets the row then.
/// </summary>
public sealed class ScanMatchOutcomeEntity
{
    public required string ManifestDigest { get; set; }

    /// <summary>Hex SHA-256 of the whole outcome (<see cref="MatchOutcome.Sha256"/>).</summary>
    public required string Sha256 { get; set; }

    /// <summary>Each open finding's key and hash, one per line (<see cref="MatchOutcome.Findings"/>).</summary>
    public required string Findings { get; set; }
}
