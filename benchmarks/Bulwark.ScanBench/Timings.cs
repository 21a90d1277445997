namespace Bulwark.ScanBench;

/// <summary>Wall (and where measured, CPU) times of repeated runs: the first run (cold) apart, then min and median of the rest.</summary>
internal sealed record Timings
{
    public required int Runs { get; init; }

    /// <summary>The first run: JIT, connection pool, SQLite page cache and file system cache all cold.</summary>
    public required double FirstMs { get; init; }

    /// <summary>Minimum of the warm runs (all runs after the first); equals <see cref="FirstMs"/> with one run.</summary>
    public required double MinMs { get; init; }

    public required double MedianMs { get; init; }

    public double? CpuMinMs { get; init; }

    public static Timings Of(IReadOnlyList<double> wall, IReadOnlyList<double>? cpu = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(wall.Count);
        var warm = wall.Count > 1 ? wall.Skip(1).Order().ToList() : [wall[0]];
        return new Timings
        {
            Runs = wall.Count,
            FirstMs = Math.Round(wall[0], 1),
            MinMs = Math.Round(warm[0], 1),
            MedianMs = Math.Round(warm[warm.Count / 2], 1),
            CpuMinMs = cpu is { Count: > 0 } ? Math.Round((cpu.Count > 1 ? cpu.Skip(1) : cpu).Min(), 1) : null,
        };
    }
}
