using System.Globalization;

namespace Bulwark.LoadTool;

/// <summary>Writes a <see cref="LoadReport"/> as a markdown table, one row per scenario, size and concurrency.</summary>
public static class MarkdownReport
{
    public static void Write(LoadReport report, TextWriter output)
    {
        output.WriteLine($"Registry {report.Registry}, repository {report.Repository}, "
            + $"bounds per run: {report.DurationBoundSeconds.ToString(CultureInfo.InvariantCulture)} s or {report.OperationBound} operations");
        output.WriteLine();
        output.WriteLine("| scenario | size | conc | ops | ops/s | MiB/s | p50 ms | p99 ms | errors |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Size ?? "-"} | {r.Concurrency} | {r.Operations} | {r.OperationsPerSecond:0.0} | {r.MiBPerSecond:0.0} | {r.LatencyMs.P50:0.0} | {r.LatencyMs.P99:0.0} | {r.Errors} |"));
        }

        foreach (var r in report.Results.Where(r => r.Failure is not null || r.ErrorSamples.Count > 0))
        {
            output.WriteLine();
            output.WriteLine($"{r.Scenario} {r.Size} c={r.Concurrency}: {r.Failure}");
            foreach (var sample in r.ErrorSamples)
            {
                output.WriteLine($"  {sample.Count} × {sample.Message}");
            }
        }
    }
}
