using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Policy.Images;

/// <summary>What a completed scan found in the image: vulnerability findings and the number of secrets.</summary>
public sealed record ImageScanFacts
{
    public required IReadOnlyList<VulnerabilityFact> Vulnerabilities { get; init; }

    public int SecretsFound { get; init; }

    public DateTimeOffset? ScannedAt { get; init; }

    /// <summary>The facts of a scan by <see cref="InventoryScanner"/> (the same result <c>bulwark scan</c> and the server produce).</summary>
    public static ImageScanFacts FromScanResult(ScanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ImageScanFacts
        {
            Vulnerabilities = [.. result.Findings.Select(f => new VulnerabilityFact
            {
                Id = f.Finding.Id,
                Aliases = f.Finding.Ids,
                Severity = f.Finding.Severity.Rating,
                FixedVersions = f.Finding.FixedVersions,
                Package = $"{f.Package.Name} {f.Finding.InstalledVersion}",
            })],
            SecretsFound = result.Secrets.Count,
            ScannedAt = result.ScannedAt,
        };
    }
}
