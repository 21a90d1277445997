using System.Globalization;

namespace Bulwark.ScanBench;

/// <summary>The human-readable report: one markdown table per scenario, in the style of benchmarks/README.md.</summary>
internal static class MarkdownReport
{
    public static void Write(BenchReport report, TextWriter output)
    {
        output.WriteLine(Invariant($"Machine: {report.ProcessorCount} CPUs, {report.Runtime}, load average {Load(report.LoadAverageAtStart)} at start, {Load(report.LoadAverageAtEnd)} at end."));
        if (!report.PeakWorkingSetPerPhase)
        {
            output.WriteLine("Peak working set: the process's peak so far (per-phase reset not available on this system).");
        }

        if (report.Import.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("### Import into a fresh advisory database (`bulwark db update --source FILE` code)");
            output.WriteLine();
            output.WriteLine("| source | file | advisories | packages | rejected | time s | peak working set MiB |");
            output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var row in report.Import)
            {
                output.WriteLine(Invariant($"| {row.Source} | {row.File} | {row.Advisories:N0} | {row.Packages:N0} | {row.Rejected} | {row.Milliseconds / 1000:0.00} | {row.PeakWorkingSetMiB:0} |"));
            }

            output.WriteLine(Invariant($"| **total** | | {report.Import.Sum(r => r.Advisories):N0} | {report.Import.Sum(r => r.Packages):N0} | {report.Import.Sum(r => r.Rejected)} | {report.Import.Sum(r => r.Milliseconds) / 1000:0.00} | {report.Import.Max(r => r.PeakWorkingSetMiB):0} |"));
        }

        if (report.Scan is { } scan)
        {
            output.WriteLine();
            output.WriteLine(Invariant($"### Full scan of {scan.RootFs} ({scan.Packages} packages, {scan.Findings} findings; {scan.Advisories:N0} advisories from {string.Join(", ", scan.Sources)}); target < {scan.TargetMs:0} ms"));
            output.WriteLine();
            output.WriteLine("| what | runs | first (cold) ms | warm min ms | warm median ms | CPU min ms |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|");
            Row("`bulwark scan … --format json`, CLI command in-process", scan.Command);
            Row("  analysis alone", scan.Analysis);
            Row("  matching alone", scan.Matching);
            if (scan.Process is { } process)
            {
                Row("`bulwark scan` process, build output (`dotnet bulwark.dll`), start to exit", process);
            }

            if (scan.PublishedProcess is { } publishedProcess)
            {
                Row("`bulwark scan` process, published (ReadyToRun), start to exit", publishedProcess);
            }

            output.WriteLine(Invariant($"\nPeak working set of the in-process scans: {scan.PeakWorkingSetMiB:0} MiB."));
        }

        if (report.Rematch.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("### Re-match of stored inventories after an advisory update (server `InventoryRematcher`); target < 10 s");
            output.WriteLine();
            output.WriteLine("| database | images | re-matched (unaffected) | unchanged | changed package keys | packages (language) | stored MiB | advisories before → after | match + store before s | update import s | **re-match s** | re-match CPU s | allocated MiB | load before → after | new findings | failed | working set at start → peak MiB |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in report.Rematch)
            {
                output.WriteLine(Invariant($"| {r.Database}{(r.AsUpgraded ? " (as upgraded)" : "")} | {r.Images:N0} | {r.RematchedImages:N0} ({r.UnaffectedImages:N0}) | {r.UnchangedImages:N0} | {(r.ChangedPackages is { } changed ? changed.ToString("N0", CultureInfo.InvariantCulture) : "all")} | {r.Packages:N0} ({r.LanguagePackages:N0}) | {r.StoredInventoryMiB:0.0} | {r.AdvisoriesBefore:N0} → {r.AdvisoriesAfter:N0} | {r.StoreMs / 1000:0.0} | {r.UpdateImportMs / 1000:0.0} | **{r.RematchMs / 1000:0.00}** | {r.RematchCpuMs / 1000:0.00} | {r.RematchAllocatedMiB:N0} | {Load(r.LoadAverageBefore)} → {Load(r.LoadAverageAfter)} | {r.NewFindings:N0} | {r.Failed} | {r.StartWorkingSetMiB:0} → {r.PeakWorkingSetMiB:0} |"));
            }

            output.WriteLine();
            foreach (var r in report.Rematch)
            {
                output.WriteLine(Invariant($"Stored findings after the re-match ({r.Database}): SHA-256 {r.FindingsSha256}."));
            }
        }

        void Row(string what, Timings t) =>
            output.WriteLine(Invariant($"| {what} | {t.Runs} | {t.FirstMs:0} | {t.MinMs:0} | {t.MedianMs:0} | {(t.CpuMinMs is { } cpu ? cpu.ToString("0", CultureInfo.InvariantCulture) : "—")} |"));
    }

    private static string Load(double? load) => load is { } l ? l.ToString("0.0", CultureInfo.InvariantCulture) : "unknown";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
