using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Bulwark.BenchmarkSupport;

/// <summary>
/// The runtime's allocation sampling (GC AllocationTick: one event about every 100 KB allocated, naming the type of the
/// object that crossed the mark) summed per type between <see cref="Start"/> and <see cref="Stop"/>: where a phase's
/// allocations go, without a profiler. One file, linked into the benchmark tools that offer it
/// (<c>bulwark-analysis-bench</c>: <c>BENCH_ALLOCATIONS=1</c>; <c>bulwark-scan-bench</c>: <c>BENCH_ALLOCATION_TYPES=N</c>).
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() => _recording = true;

    public IReadOnlyList<(string Type, long Bytes)> Stop(int top)
    {
        _recording = false;
        return [.. _bytes.OrderByDescending(p => p.Value).Take(top).Select(p => (p.Key, p.Value))];
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var names = eventData.PayloadNames!;
        var type = names.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = names.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 0;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
