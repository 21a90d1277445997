namespace Bulwark.Server.Scanning;

/// <summary>
/// One finding of one image: open while <see cref="ResolvedAt"/> is null. A re-match that no longer finds it closes
/// it; one that finds it again reopens it with a new <see cref="FirstSeenAt"/>.
/// </summary>
public sealed class ScanFindingEntity
{
    public required string ManifestDigest { get; set; }

    /// <summary>Identity across re-matches: SHA-256 (hex) of vulnerability id, package type, name and version.</summary>
    public required string Key { get; set; }

    public required string VulnerabilityId { get; set; }

    public required string PackageName { get; set; }

    public required string InstalledVersion { get; set; }

    /// <summary>Lower-case rating: critical, high, medium, low, none, unknown.</summary>
    public required string Severity { get; set; }

    /// <summary>The finding as the scanner reported it (JSON).</summary>
    public required string Document { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
}
