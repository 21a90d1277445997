namespace Bulwark.Server.Scanning;

/// <summary>
/// The stored analysis of one image manifest, keyed by digest so that an image pushed to several repositories is
/// analysed once: the inventory (gzip-compressed JSON) and the severity counts of its open findings.
/// </summary>
public sealed class ScanResultEntity
{
    public required string ManifestDigest { get; set; }

    public required byte[] Inventory { get; set; }

    public int PackageCount { get; set; }

    public DateTimeOffset AnalyzedAt { get; set; }

    public DateTimeOffset MatchedAt { get; set; }

    public int Critical { get; set; }

    public int High { get; set; }

    public int Medium { get; set; }

    public int Low { get; set; }

    /// <summary>Findings rated none or unknown.</summary>
    public int Unrated { get; set; }

    /// <summary>The last match's warnings (JSON array of strings): empty or stale database, unsupported packages, match problems.</summary>
    public string Warnings { get; set; } = "[]";
}
