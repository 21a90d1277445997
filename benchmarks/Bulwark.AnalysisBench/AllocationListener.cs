using System.Diagnostics.Tracing;

namespace Bulwark.AnalysisBench;

/// <summary>
/// With <c>BENCH_ALLOCATIONS=1</c>: the runtime's allocation sampling events (one about every 100 KB allocated,
/// naming the type of the object that crossed the threshold), summed per type — where the allocations go.
/// </summary>
internal sealed class AllocationListener : EventListener
{
    private readonly Dictionary<string, long> bytesByType = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // GC keyword (0x1) at verbose level enables GCAllocationTick.
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload![t] as string ?? "?" : "?";
        var amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        var amount = amountIndex >= 0 ? Convert.ToInt64(eventData.Payload![amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (gate)
        {
            bytesByType[type] = bytesByType.GetValueOrDefault(type) + amount;
        }
    }

    public void Print(int runs)
    {
        lock (gate)
        {
            Console.WriteLine("sampled allocations per run, by type (MiB):");
            foreach (var (type, bytes) in bytesByType.OrderByDescending(p => p.Value).Take(25))
            {
                Console.WriteLine($"  {bytes / (1024.0 * 1024 * runs),8:F1}  {type}");
            }
        }
    }
}
