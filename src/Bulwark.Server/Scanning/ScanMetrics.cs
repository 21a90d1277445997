using System.Diagnostics.Metrics;

namespace Bulwark.Server.Scanning;

/// <summary>Scanning instruments for Prometheus: queue depth, scans done and failed, scan and re-match durations, new findings.</summary>
public sealed class ScanMetrics
{
    public const string MeterName = "Bulwark.Scanning";

    private long _queueDepth;

    public ScanMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("bulwark.scan.queue.depth", () => Interlocked.Read(ref _queueDepth), "{job}",
            "Scan jobs waiting (pending), as last seen by a worker");
        Scans = meter.CreateCounter<long>("bulwark.scan.jobs", "{job}", "Scan jobs finished, by outcome (done, retry, failed)");
        Duration = meter.CreateHistogram<double>("bulwark.scan.duration", "s", "Time to analyse and match one image");
        RematchDuration = meter.CreateHistogram<double>("bulwark.scan.rematch.duration", "s", "Time to re-match every stored inventory");
        NewFindings = meter.CreateCounter<long>("bulwark.scan.findings.new", "{finding}", "Findings that appeared in stored images after an advisory update");
    }

    public Counter<long> Scans { get; }

    public Histogram<double> Duration { get; }

    public Histogram<double> RematchDuration { get; }

    public Counter<long> NewFindings { get; }

    public void SetQueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);
}
