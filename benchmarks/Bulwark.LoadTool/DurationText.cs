using System.Globalization;

namespace Bulwark.LoadTool;

/// <summary>Durations as written on the command line: <c>500ms</c>, <c>10s</c>, <c>2m</c>; a bare number is seconds.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var trimmed = text.Trim();
        Func<double, TimeSpan> unit = TimeSpan.FromSeconds;
        if (trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^2];
            unit = TimeSpan.FromMilliseconds;
        }
        else if (trimmed.EndsWith('s'))
        {
            trimmed = trimmed[..^1];
        }
        else if (trimmed.EndsWith('m'))
        {
            trimmed = trimmed[..^1];
            unit = TimeSpan.FromMinutes;
        }

        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value <= 0 || value > 86_400)
        {
            return false;
        }

        duration = unit(value);
        return duration <= TimeSpan.FromDays(1);
    }
}
