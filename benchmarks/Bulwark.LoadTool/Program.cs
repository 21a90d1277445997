using System.Globalization;
using System.Text.Json;
using Bulwark.LoadTool;

if (!LoadOptions.TryParse(args, Environment.GetEnvironmentVariable, out var options, out var errors))
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine($"error: {error}");
    }

    (errors.Count > 0 ? Console.Error : Console.Out).WriteLine(LoadOptions.Usage);
    return errors.Count > 0 ? 2 : 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var runId = Guid.NewGuid();
var image = new BenchmarkImage(runId);
var runner = new LoadRunner(options);
var results = new List<ScenarioResult>();
var startedAt = DateTimeOffset.UtcNow;

foreach (var kind in options.Scenarios)
{
    foreach (var size in ScenarioNames.MovesBlobs(kind) ? options.Sizes.Cast<long?>() : [null])
    {
        using var blob = size is { } bytes ? new SyntheticBlob(bytes) : null;
        ILoadScenario scenario = kind switch
        {
            ScenarioKind.BlobPush => new BlobPushScenario(blob!, runId, chunkSize: null),
            ScenarioKind.BlobPushChunked => new BlobPushScenario(blob!, runId, options.ChunkSize),
            ScenarioKind.BlobPull => new BlobPullScenario(blob!),
            ScenarioKind.ManifestPut => new ManifestPutScenario(image, runId),
            _ => new ManifestGetScenario(image, runId),
        };

        foreach (var concurrency in options.Concurrency)
        {
            if (cancellation.IsCancellationRequested)
            {
                break;
            }

            Console.Error.Write($"{ScenarioNames.Of(kind),-18} {(size is { } s ? ByteSize.Format(s) : "-"),7} c={concurrency,-3} … ");
            var result = await runner.RunAsync(scenario, concurrency, cancellation.Token);
            results.Add(result);
            Console.Error.WriteLine(result.Failure ?? string.Create(CultureInfo.InvariantCulture,
                $"{result.Operations} ops, {result.OperationsPerSecond:0.0} ops/s, {result.MiBPerSecond:0.0} MiB/s, p50 {result.LatencyMs.P50:0.0} ms, p99 {result.LatencyMs.P99:0.0} ms, {result.Errors} errors"));
        }
    }
}

var report = new LoadReport
{
    Registry = options.Registry.ToString(),
    Repository = options.Repository,
    StartedAt = startedAt,
    DurationBoundSeconds = options.Duration.TotalSeconds,
    OperationBound = options.MaxOperations,
    Results = results,
};

if (options.Json)
{
    Console.WriteLine(JsonSerializer.Serialize(report, LoadReportJsonContext.Default.LoadReport));
}
else
{
    MarkdownReport.Write(report, Console.Out);
}

// Exit 1 when anything failed, so scripts notice a broken registry instead of reading zeros.
return cancellation.IsCancellationRequested || results.Any(r => r.Errors > 0 || r.Failure is not null) ? 1 : 0;
