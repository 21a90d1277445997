using System.Globalization;

namespace Bulwark.ScanBench;

/// <summary>The command line of <c>bulwark-scan-bench</c> (see benchmarks/README.md).</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: bulwark-scan-bench [import] [scan] [rematch] [options]      (no scenario: all three)
          --data DIR              shared test data (default: ../shared/data beside the repository)
          --rootfs DIR            Debian 12 root filesystem (default: .cache/debootstrap-bookworm, built with debootstrap if absent)
          --debian-tracker FILE   also load this Debian Security Tracker JSON (no local copy exists in the repository)
          --runs N                in-process scans (default 10; the first is reported apart as cold)
          --process-runs N        `bulwark scan` processes of each form, build output and published (default 5)
          --bulwark PATH          the published bulwark to time (default: `dotnet publish src/Bulwark.Cli -c Release` into the temp directory)
          --images N              stored inventories to re-match (default 1000)
          --withhold N            newest advisories left out of the database until the update (default 200)
          --postgres CONNSTRING   also re-match on PostgreSQL (a scratch database is created and dropped)
          --seed N                seed of the generated inventories (default 1)
          --json                  JSON report on stdout instead of markdown (progress always goes to stderr)
        """;

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string> { "import", "scan", "rematch" };

    public string Data { get; init; } = RepositoryPaths.SharedData;

    public string? RootFs { get; init; }

    public string? DebianTracker { get; init; }

    public int Runs { get; init; } = 10;

    public int ProcessRuns { get; init; } = 5;

    public string? Bulwark { get; init; }

    public int Images { get; init; } = 1000;

    public int Withhold { get; init; } = 200;

    public string? Postgres { get; init; }

    public int Seed { get; init; } = 1;

    public bool Json { get; init; }

    /// <summary>Re-match every stored image (no change set), as before the re-match index.</summary>
    public bool FullRematch { get; init; }

    /// <summary>
    /// Before the update, drop what the re-match keeps per image besides the index (matching inputs, outcome hashes), as in
    /// a database stored before they existed: the timed re-match then reads whole inventories and writes them back.
    /// </summary>
    public bool AsUpgraded { get; init; }

    /// <summary>The three shared OSV archives, in import order.</summary>
    public IReadOnlyList<string> OsvZips => [.. new[] { "Go", "PyPI", "crates.io" }.Select(e => Path.Combine(Data, "osv", e + ".zip"))];

    /// <exception cref="BenchUsageException">An unknown option, a missing or malformed value, or a missing input.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        var scenarios = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "import" or "scan" or "rematch":
                    scenarios.Add(arg);
                    break;
                case "--json":
                    options = options with { Json = true };
                    break;
                case "--data":
                    options = options with { Data = Path.GetFullPath(Value()) };
                    break;
                case "--rootfs":
                    options = options with { RootFs = Value() };
                    break;
                case "--debian-tracker":
                    options = options with { DebianTracker = Path.GetFullPath(Value()) };
                    break;
                case "--runs":
                    options = options with { Runs = Count(1, 1000) };
                    break;
                case "--process-runs":
                    options = options with { ProcessRuns = Count(0, 1000) };
                    break;
                case "--bulwark":
                    options = options with { Bulwark = Path.GetFullPath(Value()) };
                    break;
                case "--images":
                    options = options with { Images = Count(1, 1_000_000) };
                    break;
                case "--withhold":
                    options = options with { Withhold = Count(0, 100_000) };
                    break;
                case "--seed":
                    options = options with { Seed = Count(0, int.MaxValue) };
                    break;
                case "--postgres":
                    options = options with { Postgres = Value() };
                    break;
                case "--full-rematch":
                    options = options with { FullRematch = true };
                    break;
                case "--as-upgraded":
                    options = options with { AsUpgraded = true };
                    break;
                default:
                    throw new BenchUsageException($"unknown argument '{arg}'");
            }

            string Value() => i + 1 < args.Count ? args[++i] : throw new BenchUsageException($"{arg} needs a value");

            int Count(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new BenchUsageException($"{arg} must be a whole number from {min} to {max}, not '{text}'");
            }
        }

        if (scenarios.Count > 0)
        {
            options = options with { Scenarios = scenarios };
        }

        foreach (var zip in options.OsvZips.Where(z => !File.Exists(z)))
        {
            throw new BenchUsageException($"{zip} does not exist (give the shared data directory with --data)");
        }

        if (options.Bulwark is { } bulwark && !File.Exists(bulwark))
        {
            throw new BenchUsageException($"--bulwark {bulwark} does not exist");
        }

        if (options.DebianTracker is { } tracker && !File.Exists(tracker))
        {
            throw new BenchUsageException($"--debian-tracker {tracker} does not exist");
        }

        return options;
    }
}
