using System.Runtime.InteropServices;
using System.Text.Json;
using Bulwark.ScanBench;

// Benchmarks of issue 5's performance targets (see benchmarks/README.md): import of the shared OSV archives, a full
// `bulwark scan` of the debootstrap Debian 12 root filesystem, and the server's re-match of stored inventories after
// an advisory update. Progress goes to stderr; the report (markdown, or JSON with --json) to stdout.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (BenchUsageException e)
{
    await Console.Error.WriteLineAsync($"bulwark-scan-bench: {e.Message}\n{BenchOptions.Usage}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var log = Console.Error;
var report = new BenchReport
{
    StartedAt = DateTimeOffset.UtcNow,
    Runtime = RuntimeInformation.FrameworkDescription,
    ProcessorCount = Environment.ProcessorCount,
    LoadAverageAtStart = PeakMemory.LoadAverage(),
    PeakWorkingSetPerPhase = PeakMemory.IsPerPhase,
};
var temp = Directory.CreateTempSubdirectory("bulwark-scan-bench-");
try
{
    var token = cancel.Token;
    var advisoryDb = Path.Combine(temp.FullName, "cli", "advisories.db");
    var needsRootFs = options.Scenarios.Contains("scan") || options.Scenarios.Contains("rematch");
    var rootfs = needsRootFs ? await DebootstrapFixture.GetAsync(options.RootFs, log, token) : null;

    if (options.Scenarios.Contains("import") || options.Scenarios.Contains("scan"))
    {
        var imported = await ImportBenchmark.RunAsync(options, advisoryDb, log, token);
        report.Import = options.Scenarios.Contains("import") ? imported : [];
    }

    if (options.Scenarios.Contains("scan"))
    {
        report.Scan = await ScanBenchmark.RunAsync(options, rootfs!, advisoryDb, temp.FullName, log, token);
    }

    if (options.Scenarios.Contains("rematch"))
    {
        await log.WriteLineAsync($"rematch: preparing the update (the {options.Withhold} newest advisories) and analysing {rootfs}");
        var advisories = await SharedAdvisories.PrepareAsync(options.OsvZips, options.Withhold, Path.Combine(temp.FullName, "baseline"), token);
        var debian = await ScanBenchmark.AnalyzeAsync(rootfs!, token);
        var rematch = new List<RematchFigures> { await RematchBenchmark.RunAsync(options, "sqlite", debian, advisories, temp.FullName, log, token) };
        if (options.Postgres is not null)
        {
            rematch.Add(await RematchBenchmark.RunAsync(options, "postgres", debian, advisories, temp.FullName, log, token));
        }

        report.Rematch = rematch;
    }

    report.LoadAverageAtEnd = PeakMemory.LoadAverage();
    if (options.Json)
    {
        Console.WriteLine(JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport));
    }
    else
    {
        MarkdownReport.Write(report, Console.Out);
    }

    return 0;
}
catch (BenchUsageException e)
{
    await log.WriteLineAsync($"bulwark-scan-bench: {e.Message}");
    return 2;
}
catch (OperationCanceledException)
{
    await log.WriteLineAsync("bulwark-scan-bench: cancelled");
    return 1;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    temp.Delete(recursive: true);
}
