using Bulwark.Analysis.Inventory;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Server.Scanning;

/// <summary>
/// Matches a stored inventory against the advisory store. The server's one seam onto the shared scanning code
/// (the same inventory → package query → matcher path as <c>bulwark scan</c>); re-matching calls it without reading layers.
/// </summary>
public interface IImageScanner
{
    Task<ImageScanOutcome> ScanAsync(ImageInventory inventory, CancellationToken cancellationToken);

    /// <summary>Matches against a snapshot shared by many scans (a re-match), so each package's advisories are read once for all.</summary>
    Task<ImageScanOutcome> ScanAsync(ImageInventory inventory, AdvisorySnapshot advisories, CancellationToken cancellationToken);
}
