using System.Diagnostics;
using Bulwark.Analysis;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sources;
using Bulwark.AnalysisBench;

// Measures one analysis scenario per process, so that the peak working set belongs to that scenario:
//   bulwark-analysis-bench source <oci-layout|docker-archive|dir|ref> [runs]
//   bulwark-analysis-bench layers <rootfs-dir> <layer-count> [runs]
//   bulwark-analysis-bench big-layer <GiB>
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: source <path|ref> [runs] | layers <rootfs> <count> [runs] | big-layer <GiB>");
    return 2;
}

using var allocations = Environment.GetEnvironmentVariable("BENCH_ALLOCATIONS") is null ? null : new AllocationListener();
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
    for (var i = 0; i < runs; i++)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        inventory = await run();
        timings.Add(stopwatch.Elapsed.TotalMilliseconds);
        cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
    }

    var first = timings[0];
    timings.Sort();
    using var process = Process.GetCurrentProcess();
    Console.WriteLine($"{inventory!.Source}: {inventory.Packages.Count} packages, {inventory.Layers.Count} layers; " +
        $"runs {runs}, first {first:F0} ms, min {timings.Min():F0} ms, median {timings[timings.Count / 2]:F0} ms, CPU min {cpu.Min():F0} ms; " +
        $"peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB, allocated {GC.GetTotalAllocatedBytes() / (1024.0 * 1024 * runs):F0} MiB per run");
    allocations?.Print(runs);
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
