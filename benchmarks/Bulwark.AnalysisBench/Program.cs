using System.Diagnostics;
using Bulwark.Analysis;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sources;
using Bulwark.AnalysisBench;
using Bulwark.BenchmarkSupport;

// Measures one analysis scenario per process, so that the peak working set belongs to that scenario:
//   bulwark-analysis-bench [--warmup N] source <oci-layout|docker-archive|dir|ref> [runs]
//   bulwark-analysis-bench [--warmup N] layers <rootfs-dir> <layer-count> [runs]
//   bulwark-analysis-bench big-layer <GiB>
// --warmup N: N analyses before the measured runs, left out of min/median/CPU (the tiered JIT compiles for ~15 s of
// analyses; a server that analyses every pushed image runs in that steady state). "first" is always the process's first.
var warmup = 0;
if (args.Length > 1 && args[0] == "--warmup")
{
    warmup = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
    args = args[2..];
}

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: [--warmup N] source <path|ref> [runs] | [--warmup N] layers <rootfs> <count> [runs] | big-layer <GiB>");
    return 2;
}

using var allocations = Environment.GetEnvironmentVariable("BENCH_ALLOCATIONS") is null ? null : new AllocationSampler();
var analyzer = Environment.GetEnvironmentVariable("BENCH_NO_ANALYZERS") is null ? new ImageAnalyzer() : new ImageAnalyzer([]);
var temp = Directory.CreateTempSubdirectory("bulwark-bench-");
try
{
    Func<Task<ImageInventory>> run;
    var runs = 5;
    switch (args[0])
    {
        case "source":
            runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : runs;
            run = async () =>
            {
                await using var source = ImageSources.Open(args[1]);
                return (await analyzer.AnalyzeAsync(source, null, CancellationToken.None))[0];
            };
            break;
        case "layers":
            runs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : runs;
            var image = await LayeredImageWriter.WriteAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), temp.FullName);
            run = () => analyzer.AnalyzeAsync(image, CancellationToken.None);
            break;
        case "big-layer":
            runs = 1;
            var size = (long)(double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024 * 1024);
            var big = new SourceImage
            {
                Source = $"generated {args[1]} GiB layer",
                Layers = [new BlobLayer(new LayerInfo { Index = 0 }, _ => Task.FromResult<Stream>(new GeneratedLayerStream(size)))],
            };
            run = () => analyzer.AnalyzeAsync(big, CancellationToken.None);
            break;
        default:
            Console.Error.WriteLine($"unknown scenario '{args[0]}'");
            return 2;
    }

    var timings = new List<double>();
    var cpu = new List<double>();
    ImageInventory? inventory = null;
    var first = 0.0;
    long allocatedBefore = 0, jitBefore = 0;
    int gen0Before = 0, gen2Before = 0;
    for (var i = 0; i < warmup + runs; i++)
    {
        if (i == warmup)
        {
            (allocatedBefore, jitBefore) = (GC.GetTotalAllocatedBytes(), System.Runtime.JitInfo.GetCompiledMethodCount());
            (gen0Before, gen2Before) = (GC.CollectionCount(0), GC.CollectionCount(2));
            allocations?.Start();
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        inventory = await run();
        first = i == 0 ? stopwatch.Elapsed.TotalMilliseconds : first;
        if (i >= warmup)
        {
            timings.Add(stopwatch.Elapsed.TotalMilliseconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
    }

    timings.Sort();
    using var process = Process.GetCurrentProcess();
    Console.WriteLine($"{inventory!.Source}: {inventory.Packages.Count} packages, {inventory.Layers.Count} layers; " +
        $"warm-up {warmup}, runs {runs}, first {first:F0} ms, min {timings.Min():F0} ms, median {timings[timings.Count / 2]:F0} ms, CPU min {cpu.Min():F0} ms; " +
        $"peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB, allocated {(GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024.0 * 1024 * runs):F0} MiB per run; " +
        $"in the measured runs: {System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore} methods JIT-compiled, " +
        $"{GC.CollectionCount(0) - gen0Before} gen0 / {GC.CollectionCount(2) - gen2Before} gen2 collections");
    if (allocations is not null)
    {
        Console.WriteLine("sampled allocations per measured run, by type (MiB):");
        foreach (var (type, bytes) in allocations.Stop(25))
        {
            Console.WriteLine($"  {bytes / (1024.0 * 1024 * runs),8:F1}  {type}");
        }
    }
    if (Environment.GetEnvironmentVariable("BENCH_INVENTORY_JSON") is { Length: > 0 } jsonPath)
    {
        // The last run's inventory, to compare two builds' results byte for byte (performance work must not change them).
        await File.WriteAllTextAsync(jsonPath, System.Text.Json.JsonSerializer.Serialize(inventory, JsonOptions.Indented));
    }

    return 0;
}
finally
{
    temp.Delete(recursive: true);
}
