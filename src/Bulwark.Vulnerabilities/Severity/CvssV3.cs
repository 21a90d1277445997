namespace Bulwark.Vulnerabilities.Severity;

/// <summary>
/// CVSS v3.0/v3.1 base score from a vector string, by the formulas of the v3.1 specification §7.1 (first.org/cvss/v3.1/specification-document).
/// </summary>
public static class CvssV3
{
    private static readonly string[] BaseMetrics = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];

    public static bool TryScore(string vector, out double score)
    {
        score = 0;
        if (!TryParse(vector, out var metrics, out var minor))
        {
            return false;
        }

        var changed = metrics["S"] == "C";
        var iss = 1 - ((1 - Cia(metrics["C"])) * (1 - Cia(metrics["I"])) * (1 - Cia(metrics["A"])));
        var impact = changed ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
        var exploitability = 8.22
            * metrics["AV"] switch { "N" => 0.85, "A" => 0.62, "L" => 0.55, _ => 0.2 }
            * (metrics["AC"] == "L" ? 0.77 : 0.44)
            * metrics["PR"] switch { "N" => 0.85, "L" => changed ? 0.68 : 0.62, _ => changed ? 0.5 : 0.27 }
            * (metrics["UI"] == "N" ? 0.85 : 0.62);
        if (impact <= 0)
        {
            return true;
        }

        var raw = changed ? Math.Min(1.08 * (impact + exploitability), 10) : Math.Min(impact + exploitability, 10);
        score = minor == '0' ? Math.Ceiling(raw * 10) / 10 : RoundUp(raw);
        return true;
    }

    // v3.1 Appendix A: round up to one decimal in a way that is stable against floating-point error.
    private static double RoundUp(double value)
    {
        var integer = (long)Math.Round(value * 100000);
        return integer % 10000 == 0 ? integer / 100000.0 : (Math.Floor(integer / 10000.0) + 1) / 10.0;
    }

    private static double Cia(string value) => value switch
    {
        "H" => 0.56,
        "L" => 0.22,
        _ => 0,
    };

    private static bool TryParse(string vector, out Dictionary<string, string> metrics, out char minor)
    {
        metrics = new Dictionary<string, string>(StringComparer.Ordinal);
        minor = '\0';
        if (vector is null || vector.Length > 256 || !(vector.StartsWith("CVSS:3.0/", StringComparison.Ordinal) || vector.StartsWith("CVSS:3.1/", StringComparison.Ordinal)))
        {
            return false;
        }

        minor = vector[7];
        foreach (var part in vector[9..].Split('/'))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !metrics.TryAdd(part[..colon], part[(colon + 1)..]))
            {
                return false;
            }
        }

        foreach (var name in BaseMetrics)
        {
            if (!metrics.TryGetValue(name, out var value) || !IsAllowed(name, value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllowed(string metric, string value) => metric switch
    {
        "AV" => value is "N" or "A" or "L" or "P",
        "AC" => value is "L" or "H",
        "PR" => value is "N" or "L" or "H",
        "UI" => value is "N" or "R",
        "S" => value is "U" or "C",
        _ => value is "H" or "L" or "N",
    };
}
