using System.Globalization;

namespace Bulwark.ScanBench;

/// <summary>
/// CPU time (user + system) of this process's finished children, from <c>/proc/self/stat</c> (<c>cutime</c> and
/// <c>cstime</c>, proc(5): the children that have been waited for, which <see cref="System.Diagnostics.Process"/> does
/// when they exit). The difference around one child's run is that child's CPU, which a loaded machine inflates far less
/// than its wall time. Null where there is no <c>/proc</c>.
/// </summary>
internal static class ChildProcessCpu
{
    // proc(5) reports times in clock ticks of USER_HZ, which is 100 on Linux whatever the kernel's HZ.
    private const double MsPerTick = 10;

    public static double? ReadMs()
    {
        string stat;
        try
        {
            stat = File.ReadAllText("/proc/self/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may contain spaces; the fields after its closing parenthesis start at field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.TryParse(fields[16 - 3], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[17 - 3], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? (user + system) * MsPerTick
            : null;
    }
}
