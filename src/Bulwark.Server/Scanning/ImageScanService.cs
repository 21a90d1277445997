using Bulwark.Analysis;
using Bulwark.Analysis.Sources;
using Bulwark.Oci;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Configuration;
using RegistryBlobStore = Bulwark.Registry.Storage.IBlobStore;

namespace Bulwark.Server.Scanning;

/// <summary>
/// Works one claimed job. An index queues its platform manifests (each is scanned as its own job, so a manifest
/// shared by several indexes is analysed once). An image manifest whose inventory is already stored (the same image
/// pushed to another repository) is done at once unless a re-scan was asked for; otherwise it is analysed from the
/// registry's own storage, the inventory stored, and matched.
/// </summary>
public sealed class ImageScanService(
    ManifestService manifests,
    RegistryBlobStore blobs,
    ScanJobStore queue,
    ScanResultStore results,
    IImageScanner scanner,
    ServerOptions options)
{
    /// <exception cref="ScanJobException">The job cannot succeed (the manifest is gone); retrying is pointless.</exception>
    public async Task ProcessAsync(ScanJobEntity job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var stored = await manifests.FindAsync(job.Repository, job.ManifestDigest, cancellationToken).ConfigureAwait(false)
            ?? throw new ScanJobException($"manifest {job.ManifestDigest} is no longer in repository {job.Repository}");
        if (MediaTypes.IsIndex(stored.MediaType))
        {
            var content = await manifests.ReadContentAsync(stored, cancellationToken).ConfigureAwait(false);
            var index = ManifestParser.Parse(content, stored.MediaType);
            foreach (var child in ScanOnPushSink.PlatformManifests(index))
            {
                await queue.EnqueueAsync(job.Repository, child.Digest, child.MediaType, job.Force, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (!job.Force && await results.HasInventoryAsync(job.ManifestDigest, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var temp = Path.Combine(Path.GetFullPath(options.Data), "tmp", "scan");
        Directory.CreateDirectory(temp);
        var analyzer = new ImageAnalyzer(options: new AnalysisOptions { TempDirectory = temp });
        await using var source = new RegistryStorageImageSource(manifests, blobs, job.Repository, stored.Digest);
        var inventories = await analyzer.AnalyzeAsync(source, PlatformSelection.All, cancellationToken).ConfigureAwait(false);
        var inventory = inventories.Single();
        var outcome = await scanner.ScanAsync(inventory, cancellationToken).ConfigureAwait(false);
        await results.StoreAnalysisAsync(job.ManifestDigest, inventory, outcome, cancellationToken).ConfigureAwait(false);
    }
}
