using Bulwark.Analysis.Inventory;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Server.Scanning;

/// <summary>
/// The server's scans through the shared <see cref="InventoryScanner"/> (the code <c>bulwark scan</c> runs): each
/// finding is kept whole as JSON (written when first read), identified by vulnerability id and package; every warning of the result is kept.
/// </summary>
public sealed class InventoryImageScanner(AdvisoryStore store, TimeProvider time) : IImageScanner
{
    private readonly InventoryScanner _scanner = new(store, time);

    public Task<ImageScanOutcome> ScanAsync(ImageInventory inventory, CancellationToken cancellationToken) =>
        ScanAsync(inventory, new AdvisorySnapshot(store), cancellationToken);

    public async Task<ImageScanOutcome> ScanAsync(ImageInventory inventory, AdvisorySnapshot advisories, CancellationToken cancellationToken)
    {
        var result = await _scanner.ScanAsync(inventory, advisories, cancellationToken).ConfigureAwait(false);
        var findings = result.Findings.Select(f => new ScannedFinding(f)).ToList();
        return new ImageScanOutcome(findings, [.. result.Warnings.Select(w => w.Message)]) { Index = MatchIndexEntry.Of(inventory, result) };
    }
}
