using System.Diagnostics;
using System.Globalization;

namespace Bulwark.ScanBench;

/// <summary>
/// The process's peak working set for one phase. On Linux, writing <c>5</c> to <c>/proc/self/clear_refs</c> resets the
/// peak resident set size (<c>VmHWM</c>), so each phase of one process gets its own peak; elsewhere the figure is the
/// process's peak so far, and <see cref="IsPerPhase"/> says so.
/// </summary>
internal static class PeakMemory
{
    private const string ClearRefs = "/proc/self/clear_refs";

    public static bool IsPerPhase { get; private set; } = OperatingSystem.IsLinux();

    /// <summary>Starts a phase: the peak from now on is the larger of the current resident size and what follows.</summary>
    public static void Reset()
    {
        if (!IsPerPhase)
        {
            return;
        }

        try
        {
            File.WriteAllText(ClearRefs, "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            IsPerPhase = false;
        }
    }

    /// <summary>The peak working set since the last <see cref="Reset"/> (or since the start), in MiB.</summary>
    public static double PeakMiB()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return Math.Round(process.PeakWorkingSet64 / (1024.0 * 1024), 1);
    }

    /// <summary>The 1-minute load average (Linux), to say how busy the machine was; null elsewhere.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
