using System.Diagnostics.Metrics;

namespace Bulwark.Registry;

/// <summary>
/// Registry instruments for Prometheus: blob bytes in and out, open upload sessions, storage used. Request
/// counts and latencies by route and status come from ASP.NET Core's own <c>http.server.*</c> instruments,
/// tagged with the registry operation.
/// </summary>
public sealed class RegistryMetrics
{
    public const string MeterName = "Bulwark.Registry";

    private long _storedBytes;
    private long _storedBlobs;
    private long _openUploads;

    public RegistryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        BytesReceived = meter.CreateCounter<long>("bulwark.registry.blob.received", "By", "Blob bytes received");
        BytesSent = meter.CreateCounter<long>("bulwark.registry.blob.sent", "By", "Blob bytes sent");
        meter.CreateObservableGauge("bulwark.registry.uploads.open", () => Interlocked.Read(ref _openUploads), "{upload}",
            "Blob upload sessions started and not yet completed, cancelled or expired");
        meter.CreateObservableGauge("bulwark.registry.storage.used", () => Interlocked.Read(ref _storedBytes), "By",
            "Bytes of blobs and manifests in the store");
        meter.CreateObservableGauge("bulwark.registry.storage.blobs", () => Interlocked.Read(ref _storedBlobs), "{blob}",
            "Blobs and manifests in the store");
    }

    public Counter<long> BytesReceived { get; }

    public Counter<long> BytesSent { get; }

    /// <summary>Updates the gauges; the server refreshes them from the database on a schedule.</summary>
    public void SetUsage(long storedBytes, long storedBlobs, long openUploads)
    {
        Interlocked.Exchange(ref _storedBytes, storedBytes);
        Interlocked.Exchange(ref _storedBlobs, storedBlobs);
        Interlocked.Exchange(ref _openUploads, openUploads);
    }
}
