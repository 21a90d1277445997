namespace Bulwark.LoadTool;

/// <summary>Latency of successful operations, in milliseconds (nearest-rank percentiles).</summary>
public sealed record LatencySummary(double Mean, double P50, double P90, double P99, double Max)
{
    public static LatencySummary From(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        milliseconds.Sort();
        return new LatencySummary(
            Math.Round(milliseconds.Average(), 3),
            Percentile(milliseconds, 50),
            Percentile(milliseconds, 90),
            Percentile(milliseconds, 99),
            Math.Round(milliseconds[^1], 3));
    }

    private static double Percentile(List<double> sorted, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)], 3);
    }
}
