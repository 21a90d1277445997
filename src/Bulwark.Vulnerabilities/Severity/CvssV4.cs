using System.Collections.Frozen;
using System.Globalization;

namespace Bulwark.Vulnerabilities.Severity;

/// <summary>
/// CVSS v4.0 base score (CVSS-B, and CVSS-BT/BE when threat or environmental metrics are present) from a vector
/// string, by the v4.0 specification §8: the vector's MacroVector (EQ1–EQ6) selects a score from the expert lookup
/// table, which is then lowered by the vector's mean proportional distance from the highest-severity vectors of its
/// MacroVector (first.org/cvss/v4-0/specification-document, and FIRST's reference calculator for the table).
/// </summary>
public static class CvssV4
{
    private const double Step = 0.1;

    private static readonly string[] ImpactMetrics = ["VC", "VI", "VA", "SC", "SI", "SA"];

    // The MacroVector lookup table of the v4.0 specification: "EQ1EQ2EQ3EQ4EQ5EQ6:score".
    private static readonly FrozenDictionary<string, double> MacroVectorScores = ParseTable(
        "000000:10 000001:9.9 000010:9.8 000011:9.5 000020:9.5 000021:9.2 000100:10 000101:9.6 000110:9.3 000111:8.7 " +
        "000120:9.1 000121:8.1 000200:9.3 000201:9 000210:8.9 000211:8 000220:8.1 000221:6.8 001000:9.8 001001:9.5 " +
        "001010:9.5 001011:9.2 001020:9 001021:8.4 001100:9.3 001101:9.2 001110:8.9 001111:8.1 001120:8.1 001121:6.5 " +
        "001200:8.8 001201:8 001210:7.8 001211:7 001220:6.9 001221:4.8 002001:9.2 002011:8.2 002021:7.2 002101:7.9 " +
        "002111:6.9 002121:5 002201:6.9 002211:5.5 002221:2.7 010000:9.9 010001:9.7 010010:9.5 010011:9.2 010020:9.2 " +
        "010021:8.5 010100:9.5 010101:9.1 010110:9 010111:8.3 010120:8.4 010121:7.1 010200:9.2 010201:8.1 010210:8.2 " +
        "010211:7.1 010220:7.2 010221:5.3 011000:9.5 011001:9.3 011010:9.2 011011:8.5 011020:8.5 011021:7.3 011100:9.2 " +
        "011101:8.2 011110:8 011111:7.2 011120:7 011121:5.9 011200:8.4 011201:7 011210:7.1 011211:5.2 011220:5 " +
        "011221:3 012001:8.6 012011:7.5 012021:5.2 012101:7.1 012111:5.2 012121:2.9 012201:6.3 012211:2.9 012221:1.7 " +
        "100000:9.8 100001:9.5 100010:9.4 100011:8.7 100020:9.1 100021:8.1 100100:9.4 100101:8.9 100110:8.6 100111:7.4 " +
        "100120:7.7 100121:6.4 100200:8.7 100201:7.5 100210:7.4 100211:6.3 100220:6.3 100221:4.9 101000:9.4 101001:8.9 " +
        "101010:8.8 101011:7.7 101020:7.6 101021:6.7 101100:8.6 101101:7.6 101110:7.4 101111:5.8 101120:5.9 101121:5 " +
        "101200:7.2 101201:5.7 101210:5.7 101211:5.2 101220:5.2 101221:2.5 102001:8.3 102011:7 102021:5.4 102101:6.5 " +
        "102111:5.8 102121:2.6 102201:5.3 102211:2.1 102221:1.3 110000:9.5 110001:9 110010:8.8 110011:7.6 110020:7.6 " +
        "110021:7 110100:9 110101:7.7 110110:7.5 110111:6.2 110120:6.1 110121:5.3 110200:7.7 110201:6.6 110210:6.8 " +
        "110211:5.9 110220:5.2 110221:3 111000:8.9 111001:7.8 111010:7.6 111011:6.7 111020:6.2 111021:5.8 111100:7.4 " +
        "111101:5.9 111110:5.7 111111:5.7 111120:4.7 111121:2.3 111200:6.1 111201:5.2 111210:5.7 111211:2.9 111220:2.4 " +
        "111221:1.6 112001:7.1 112011:5.9 112021:3 112101:5.8 112111:2.6 112121:1.5 112201:2.3 112211:1.3 112221:0.6 " +
        "200000:9.3 200001:8.7 200010:8.6 200011:7.2 200020:7.5 200021:5.8 200100:8.6 200101:7.4 200110:7.4 200111:6.1 " +
        "200120:5.6 200121:3.4 200200:7 200201:5.4 200210:5.2 200211:4 200220:4 200221:2.2 201000:8.5 201001:7.5 " +
        "201010:7.4 201011:5.5 201020:6.2 201021:5.1 201100:7.2 201101:5.7 201110:5.5 201111:4.1 201120:4.6 201121:1.9 " +
        "201200:5.3 201201:3.6 201210:3.4 201211:1.9 201220:1.9 201221:0.8 202001:6.4 202011:5.1 202021:2 202101:4.7 " +
        "202111:2.1 202121:1.1 202201:2.4 202211:0.9 202221:0.4 210000:8.8 210001:7.5 210010:7.3 210011:5.3 210020:6 " +
        "210021:5 210100:7.3 210101:5.5 210110:5.9 210111:4 210120:4.1 210121:2 210200:5.4 210201:4.3 210210:4.5 " +
        "210211:2.2 210220:2 210221:1.1 211000:7.5 211001:5.5 211010:5.8 211011:4.5 211020:4 211021:2.1 211100:6.1 " +
        "211101:5.1 211110:4.8 211111:1.8 211120:2 211121:0.9 211200:4.6 211201:1.8 211210:1.7 211211:0.7 211220:0.8 " +
        "211221:0.2 212001:5.3 212011:2.4 212021:1.4 212101:2.4 212111:1.2 212121:0.5 212201:1 212211:0.3 212221:0.1 ");

    private static readonly (string Metric, string[] Values)[] Grammar =
    [
        ("AV", ["N", "A", "L", "P"]), ("AC", ["L", "H"]), ("AT", ["N", "P"]), ("PR", ["N", "L", "H"]), ("UI", ["N", "P", "A"]),
        ("VC", ["H", "L", "N"]), ("VI", ["H", "L", "N"]), ("VA", ["H", "L", "N"]), ("SC", ["H", "L", "N"]), ("SI", ["H", "L", "N"]), ("SA", ["H", "L", "N"]),
        ("E", ["X", "A", "P", "U"]),
        ("CR", ["X", "H", "M", "L"]), ("IR", ["X", "H", "M", "L"]), ("AR", ["X", "H", "M", "L"]),
        ("MAV", ["X", "N", "A", "L", "P"]), ("MAC", ["X", "L", "H"]), ("MAT", ["X", "N", "P"]), ("MPR", ["X", "N", "L", "H"]), ("MUI", ["X", "N", "P", "A"]),
        ("MVC", ["X", "H", "L", "N"]), ("MVI", ["X", "H", "L", "N"]), ("MVA", ["X", "H", "L", "N"]),
        ("MSC", ["X", "H", "L", "N"]), ("MSI", ["X", "S", "H", "L", "N"]), ("MSA", ["X", "S", "H", "L", "N"]),
        ("S", ["X", "N", "P"]), ("AU", ["X", "N", "Y"]), ("R", ["X", "A", "U", "I"]), ("V", ["X", "D", "C"]),
        ("RE", ["X", "L", "M", "H"]), ("U", ["X", "Clear", "Green", "Amber", "Red"]),
    ];

    // Severity levels used for distances within a MacroVector (lower is more severe).
    private static readonly FrozenDictionary<string, FrozenDictionary<string, double>> Levels = new Dictionary<string, FrozenDictionary<string, double>>
    {
        ["AV"] = Level(("N", 0.0), ("A", 0.1), ("L", 0.2), ("P", 0.3)),
        ["PR"] = Level(("N", 0.0), ("L", 0.1), ("H", 0.2)),
        ["UI"] = Level(("N", 0.0), ("P", 0.1), ("A", 0.2)),
        ["AC"] = Level(("L", 0.0), ("H", 0.1)),
        ["AT"] = Level(("N", 0.0), ("P", 0.1)),
        ["VC"] = Level(("H", 0.0), ("L", 0.1), ("N", 0.2)),
        ["VI"] = Level(("H", 0.0), ("L", 0.1), ("N", 0.2)),
        ["VA"] = Level(("H", 0.0), ("L", 0.1), ("N", 0.2)),
        ["SC"] = Level(("H", 0.1), ("L", 0.2), ("N", 0.3)),
        ["SI"] = Level(("S", 0.0), ("H", 0.1), ("L", 0.2), ("N", 0.3)),
        ["SA"] = Level(("S", 0.0), ("H", 0.1), ("L", 0.2), ("N", 0.3)),
        ["CR"] = Level(("H", 0.0), ("M", 0.1), ("L", 0.2)),
        ["IR"] = Level(("H", 0.0), ("M", 0.1), ("L", 0.2)),
        ["AR"] = Level(("H", 0.0), ("M", 0.1), ("L", 0.2)),
        ["E"] = Level(("A", 0.0), ("P", 0.1), ("U", 0.2)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // The highest-severity vectors of each EQ level (spec §8.2, "Table 24" onwards).
    private static readonly string[][] Eq1Max = [["AV:N/PR:N/UI:N"], ["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"], ["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"]];
    private static readonly string[][] Eq2Max = [["AC:L/AT:N"], ["AC:H/AT:N", "AC:L/AT:P"]];
    private static readonly string[][][] Eq3Eq6Max =
    [
        [["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"], ["VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"]],
        [["VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"], ["VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M", "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"]],
        [[], ["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"]],
    ];

    private static readonly string[][] Eq4Max = [["SC:H/SI:S/SA:S"], ["SC:H/SI:H/SA:H"], ["SC:L/SI:L/SA:L"]];
    private static readonly string[][] Eq5Max = [["E:A"], ["E:P"], ["E:U"]];

    // Maximal severity depth of each MacroVector level, in steps (spec §8.2).
    private static readonly int[] Eq1Depth = [1, 4, 5];
    private static readonly int[] Eq2Depth = [1, 2];
    private static readonly int[][] Eq3Eq6Depth = [[7, 6], [8, 8], [0, 10]];
    private static readonly int[] Eq4Depth = [6, 5, 4];

    public static bool TryScore(string vector, out double score)
    {
        score = 0;
        if (!TryParse(vector, out var metrics))
        {
            return false;
        }

        string M(string metric) => Effective(metrics, metric);

        if (ImpactMetrics.All(m => M(m) == "N"))
        {
            return true;
        }

        var eq1 = (M("AV"), M("PR"), M("UI")) switch
        {
            ("N", "N", "N") => 0,
            var (av, pr, ui) when (av == "N" || pr == "N" || ui == "N") && av != "P" => 1,
            _ => 2,
        };
        var eq2 = M("AC") == "L" && M("AT") == "N" ? 0 : 1;
        var eq3 = M("VC") == "H" && M("VI") == "H" ? 0 : M("VC") == "H" || M("VI") == "H" || M("VA") == "H" ? 1 : 2;
        var eq4 = M("MSI") == "S" || M("MSA") == "S" ? 0 : M("SC") == "H" || M("SI") == "H" || M("SA") == "H" ? 1 : 2;
        var eq5 = M("E") switch { "A" => 0, "P" => 1, _ => 2 };
        var eq6 = (M("CR") == "H" && M("VC") == "H") || (M("IR") == "H" && M("VI") == "H") || (M("AR") == "H" && M("VA") == "H") ? 0 : 1;

        var value = Lookup(eq1, eq2, eq3, eq4, eq5, eq6)!.Value;

        // Next lower MacroVector per EQ; a missing one contributes nothing.
        var lower1 = Lookup(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
        var lower2 = Lookup(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
        var lower3Eq6 = (eq3, eq6) switch
        {
            (0, 0) => Max(Lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1), Lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6)),
            (1, 0) => Lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1),
            (0, 1) or (1, 1) => Lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6),
            _ => Lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1),
        };
        var lower4 = Lookup(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
        var lower5 = Lookup(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

        // The first highest-severity vector of the MacroVector that the scored vector does not exceed.
        // As in the reference calculator, if none qualifies the last candidate's distances are used.
        Dictionary<string, double>? distances = null, last = null;
        foreach (var a in Eq1Max[eq1])
        {
            foreach (var b in Eq2Max[eq2])
            {
                foreach (var c in Eq3Eq6Max[eq3][eq6])
                {
                    foreach (var d in Eq4Max[eq4])
                    {
                        foreach (var e in Eq5Max[eq5])
                        {
                            var candidate = Distances(string.Join('/', a, b, c, d, e), M);
                            last = candidate;
                            if (distances is null && candidate.Values.All(x => x >= 0))
                            {
                                distances = candidate;
                            }
                        }
                    }
                }
            }
        }

        distances ??= last!;
        double D(params string[] names) => names.Sum(n => distances.GetValueOrDefault(n));

        var parts = new List<double>();
        void Part(double? lower, double distance, int depth)
        {
            if (lower is { } l)
            {
                parts.Add(depth == 0 ? 0 : (value - l) * (distance / (depth * Step)));
            }
        }

        Part(lower1, D("AV", "PR", "UI"), Eq1Depth[eq1]);
        Part(lower2, D("AC", "AT"), Eq2Depth[eq2]);
        Part(lower3Eq6, D("VC", "VI", "VA", "CR", "IR", "AR"), Eq3Eq6Depth[eq3][eq6]);
        Part(lower4, D("SC", "SI", "SA"), Eq4Depth[eq4]);

        // EQ5 has a single level per MacroVector: its proportional distance is always 0.
        Part(lower5, 0, 1);

        var mean = parts.Count == 0 ? 0 : parts.Sum() / parts.Count;
        score = Math.Round((Math.Clamp(value - mean, 0, 10) + 1e-6) * 10, MidpointRounding.AwayFromZero) / 10;
        return true;
    }

    private static Dictionary<string, double> Distances(string maxVector, Func<string, string> effective)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in maxVector.Split('/'))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var metric = part[..colon];
            var levels = Levels[metric];
            result[metric] = levels[effective(metric)] - levels[part[(colon + 1)..]];
        }

        return result;
    }

    private static string Effective(Dictionary<string, string> metrics, string metric)
    {
        var value = metrics.GetValueOrDefault(metric, "X");
        if (value == "X" && metric is "E" or "CR" or "IR" or "AR")
        {
            // Unset threat and security requirements default to the worst case (spec §7).
            return metric == "E" ? "A" : "H";
        }

        return metrics.TryGetValue("M" + metric, out var modified) && modified != "X" ? modified : value;
    }

    private static double? Lookup(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) =>
        MacroVectorScores.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"{eq1}{eq2}{eq3}{eq4}{eq5}{eq6}"), out var s) ? s : null;

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static bool TryParse(string vector, out Dictionary<string, string> metrics)
    {
        metrics = new Dictionary<string, string>(StringComparer.Ordinal);
        if (vector is null || vector.Length > 512 || !vector.StartsWith("CVSS:4.0/", StringComparison.Ordinal))
        {
            return false;
        }

        // Metrics must appear in the specification's order; the 11 base metrics are mandatory.
        var index = 0;
        foreach (var part in vector[9..].Split('/'))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return false;
            }

            var (name, value) = (part[..colon], part[(colon + 1)..]);
            while (index < Grammar.Length && Grammar[index].Metric != name)
            {
                if (index < 11)
                {
                    return false;
                }

                index++;
            }

            if (index == Grammar.Length || !Grammar[index].Values.Contains(value))
            {
                return false;
            }

            metrics[name] = value;
            index++;
        }

        return index >= 11;
    }

    private static FrozenDictionary<string, double> Level(params (string Value, double Level)[] levels) =>
        levels.ToFrozenDictionary(l => l.Value, l => l.Level, StringComparer.Ordinal);

    private static FrozenDictionary<string, double> ParseTable(string table) =>
        table.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split(':'))
            .ToFrozenDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
