using System.Globalization;
using Bulwark.Vulnerabilities.Import;

namespace Bulwark.Cli.Commands.Db;

/// <summary>
/// One status line on a terminal's stderr, rewritten in place (bytes downloaded, advisories imported); nothing when
/// stderr is not a terminal, so logs and pipes only get the summary lines.
/// </summary>
internal sealed class ImportProgressDisplay(TextWriter error, bool enabled) : IProgress<ImportProgress>
{
    private readonly Lock _lock = new();
    private long _lastTick;

    public static bool IsTerminal => !Console.IsErrorRedirected;

    public void Report(ImportProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!enabled)
        {
            return;
        }

        lock (_lock)
        {
            // At most ~10 redraws a second, except the stage changes that end a step.
            var now = Environment.TickCount64;
            if (value.Stage is ImportStage.Downloading or ImportStage.Importing && now - _lastTick < 100)
            {
                return;
            }

            _lastTick = now;
            var text = value.Stage switch
            {
                ImportStage.Downloading => $"{value.Source}: downloading {Bytes(value.Done)}{(value.Total is { } t ? " of " + Bytes(t) : "")}",
                ImportStage.Verifying => $"{value.Source}: verifying",
                ImportStage.Importing => string.Create(CultureInfo.InvariantCulture, $"{value.Source}: imported {value.Done:N0} advisories"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{value.Source}: committed {value.Done:N0} advisories"),
            };
            error.Write("\r\u001b[K" + text);
            error.Flush();
        }
    }

    /// <summary>Clears the status line before a regular line is written.</summary>
    public void Clear()
    {
        if (enabled)
        {
            lock (_lock)
            {
                error.Write("\r\u001b[K");
            }
        }
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 30):0.0} GiB"),
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
