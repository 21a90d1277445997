using System.Globalization;

namespace Bulwark.Server.Configuration;

/// <summary>Parses short durations such as <c>90s</c>, <c>15m</c>, <c>12h</c>, <c>7d</c> (or a .NET TimeSpan).</summary>
public static class Duration
{
    public static TimeSpan Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount <= 100_000)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'd': return TimeSpan.FromDays(amount);
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : throw new ServerConfigurationException($"'{value}' is not a duration (use e.g. 90s, 15m, 12h, 7d)");
    }
}
