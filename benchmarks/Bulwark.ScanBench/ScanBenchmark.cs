using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Bulwark.Analysis;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sources;
using Bulwark.Cli.Commands.Db;
using Bulwark.Cli.Commands.Scan;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.ScanBench;

/// <summary>
/// The full scan of a root filesystem against the loaded advisory database: the CLI's <c>scan</c> command object run
/// in this process (the code path of <c>bulwark scan</c>, report included), then analysis and matching apart (where
/// the time goes), then the real <c>bulwark</c> process from start to exit.
/// </summary>
internal static class ScanBenchmark
{
    public static async Task<ScanFigures> RunAsync(BenchOptions options, string rootfs, string databasePath, string temp, TextWriter log,
        CancellationToken cancellationToken)
    {
        string[] arguments = ["scan", "dir:" + rootfs, "--skip-db-update", "--format", "json", "--db", databasePath];

        await log.WriteLineAsync($"scan: {options.Runs} in-process runs of bulwark {string.Join(' ', arguments)}");
        PeakMemory.Reset();
        var wall = new List<double>();
        var cpu = new List<double>();
        string report = "";
        for (var i = 0; i < options.Runs; i++)
        {
            var (ms, cpuMs) = await MeasureAsync(async () => report = await RunCommandAsync(arguments));
            wall.Add(ms);
            cpu.Add(cpuMs);
        }

        var peak = PeakMemory.PeakMiB();
        var summary = ReadSummary(report);

        await log.WriteLineAsync($"scan: {options.Runs} runs of analysis alone and matching alone");
        var analysisWall = new List<double>();
        var analysisCpu = new List<double>();
        ImageInventory inventory = null!;
        for (var i = 0; i < options.Runs; i++)
        {
            var (ms, cpuMs) = await MeasureAsync(async () => inventory = await AnalyzeAsync(rootfs, cancellationToken));
            analysisWall.Add(ms);
            analysisCpu.Add(cpuMs);
        }

        var matchWall = new List<double>();
        var matchCpu = new List<double>();
        await using (var database = (await AdvisoryDatabaseFile.OpenAsync(databasePath, create: false, cancellationToken))!)
        {
            var scanner = new InventoryScanner(database.Store, TimeProvider.System, new InventoryScannerOptions { MaxDatabaseAge = ScanCommand.MaxDatabaseAge });
            for (var i = 0; i < options.Runs; i++)
            {
                var (ms, cpuMs) = await MeasureAsync(() => scanner.ScanAsync(inventory, cancellationToken));
                matchWall.Add(ms);
                matchCpu.Add(cpuMs);
            }
        }

        Timings? process = null;
        Timings? published = null;
        if (options.ProcessRuns > 0)
        {
            // The build output (JIT-compiled at start-up, as `dotnet run` runs it) and the published CLI users install
            // (ReadyToRun), alternately, so that both see the same machine load.
            var executable = options.Bulwark ?? await PublishAsync(temp, log, cancellationToken);
            await log.WriteLineAsync($"scan: {options.ProcessRuns} runs each of the bulwark process, build output and {executable}");
            var buildWall = new List<double>();
            var publishedWall = new List<double>();
            var buildCpu = new List<double>();
            var publishedCpu = new List<double>();
            for (var i = 0; i < options.ProcessRuns; i++)
            {
                var (wallMs, cpuMs) = await RunProcessAsync(Path.Combine(AppContext.BaseDirectory, "bulwark.dll"), arguments, cancellationToken);
                buildWall.Add(wallMs);
                if (cpuMs is { } buildMs)
                {
                    buildCpu.Add(buildMs);
                }

                (wallMs, cpuMs) = await RunProcessAsync(executable, arguments, cancellationToken);
                publishedWall.Add(wallMs);
                if (cpuMs is { } publishedMs)
                {
                    publishedCpu.Add(publishedMs);
                }
            }

            process = Timings.Of(buildWall, buildCpu);
            published = Timings.Of(publishedWall, publishedCpu);
        }

        return new ScanFigures
        {
            RootFs = rootfs,
            Packages = summary.Packages,
            Findings = summary.Findings,
            Advisories = summary.Advisories,
            Sources = summary.Sources,
            Command = Timings.Of(wall, cpu),
            Analysis = Timings.Of(analysisWall, analysisCpu),
            Matching = Timings.Of(matchWall, matchCpu),
            Process = process,
            PublishedProcess = published,
            PeakWorkingSetMiB = peak,
        };
    }

    /// <summary>The analysis <c>bulwark scan dir:…</c> does (root filesystem mode, default platform).</summary>
    public static async Task<ImageInventory> AnalyzeAsync(string rootfs, CancellationToken cancellationToken)
    {
        await using var source = ImageSources.Open("dir:" + rootfs);
        return (await new ImageAnalyzer().AnalyzeAsync(source, PlatformSelection.Default, cancellationToken))[0];
    }

    private static async Task<(double WallMs, double CpuMs)> MeasureAsync(Func<Task> run)
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await run();
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        self.Refresh();
        return (wall, (self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
    }

    private static async Task<string> RunCommandAsync(string[] arguments)
    {
        var root = new RootCommand { ScanCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await root.Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return code == 0 ? output.ToString() : throw new InvalidOperationException($"bulwark scan exited {code}: {error}");
    }

    /// <summary>Publishes the CLI as the README's install command does (ReadyToRun, see src/Bulwark.Cli); returns the executable.</summary>
    private static async Task<string> PublishAsync(string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var output = Path.Combine(temp, "bulwark-published");
        var project = Path.Combine(RepositoryPaths.Root, "src", "Bulwark.Cli");
        await log.WriteLineAsync($"scan: dotnet publish {project} -c Release -o {output}");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? Path.Combine(output, OperatingSystem.IsWindows() ? "bulwark.exe" : "bulwark")
            : throw new InvalidOperationException($"dotnet publish exited {process.ExitCode}: {await stdout}{await stderr}");
    }

    /// <summary>
    /// One <c>bulwark</c> process from start to exit: a <c>bulwark.dll</c> through <c>dotnet</c>, or an executable. Returns
    /// its wall time and, where <c>/proc</c> tells, its CPU time (user + system, all threads).
    /// </summary>
    private static async Task<(double WallMs, double? CpuMs)> RunProcessAsync(string bulwark, string[] arguments, CancellationToken cancellationToken)
    {
        var start = bulwark.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo("dotnet", [bulwark, .. arguments])
            : new ProcessStartInfo(bulwark, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var cpuBefore = ChildProcessCpu.ReadMs();
        var started = Stopwatch.GetTimestamp();
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"{bulwark} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await stdout;
        var cpu = ChildProcessCpu.ReadMs() - cpuBefore;
        return process.ExitCode == 0 ? (elapsed, cpu) : throw new InvalidOperationException($"bulwark scan exited {process.ExitCode}: {await stderr}");
    }

    private static (int Packages, int Findings, int Advisories, IReadOnlyList<string> Sources) ReadSummary(string report)
    {
        using var json = JsonDocument.Parse(report);
        var summary = json.RootElement.GetProperty("summary");
        var database = json.RootElement.GetProperty("database");
        return (summary.GetProperty("packages").GetInt32(), summary.GetProperty("findings").GetInt32(),
            database.GetProperty("advisories").GetInt32(),
            [.. database.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString() ?? "?")]);
    }
}
