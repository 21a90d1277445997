using Bulwark.Analysis.Inventory;
using Bulwark.Server.Scanning;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Server.Tests.Policy;

/// <summary>The server's real scanner, held at the start of each first-time scan until <see cref="Release"/>: lets a test act while an image is still pending.</summary>
internal sealed class HeldScanner(AdvisoryStore store, TimeProvider time) : IImageScanner
{
    private readonly InventoryImageScanner _scanner = new(store, time);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _released.TrySetResult();

    public async Task<ImageScanOutcome> ScanAsync(ImageInventory inventory, CancellationToken cancellationToken)
    {
        await _released.Task.WaitAsync(cancellationToken);
        return await _scanner.ScanAsync(inventory, cancellationToken);
    }

    public Task<ImageScanOutcome> ScanAsync(ImageInventory inventory, AdvisorySnapshot advisories, CancellationToken cancellationToken) =>
        _scanner.ScanAsync(inventory, advisories, cancellationToken);
}
