using System.Buffers;

namespace Bulwark.Analysis.Secrets;

/// <summary>
/// Searches a text for the secret rules. One vectorised pass finds the lines that contain a rule keyword; only
/// those lines (long ones in overlapping windows of <see cref="SecretScanOptions.MaxLineLength"/>) run the
/// expressions of the rules whose keywords they contain. Matches are allowed, de-duplicated and redacted here, so
/// the secret values never leave this class.
/// </summary>
internal sealed class SecretScanner
{
    private const int WindowOverlap = 512;

    private readonly SecretRule[] rules;
    private readonly SearchValues<string> keywords;
    private readonly SearchValues<string>[] ruleKeywords;
    private readonly SecretAllowList allowList;
    private readonly SecretScanOptions options;

    /// <exception cref="ArgumentException">An option is out of range or an allow pattern is invalid.</exception>
    public SecretScanner(SecretScanOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineLength, 2 * WindowOverlap, nameof(options.MaxLineLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFindingsPerFile, 1, nameof(options.MaxFindingsPerFile));
        this.options = options;
        allowList = new SecretAllowList(options);
        rules = [.. SecretRules.All.Where(r => !allowList.SkipsRule(r.Id)).OrderBy(r => r.Generic)];
        keywords = SearchValues.Create([.. rules.SelectMany(r => r.Keywords).Distinct(StringComparer.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase);
        ruleKeywords = [.. rules.Select(r => SearchValues.Create([.. r.Keywords], StringComparison.OrdinalIgnoreCase))];
    }

    public SecretScanOptions Options => options;

    public SecretAllowList AllowList => allowList;

    /// <summary>
    /// The secrets in <paramref name="text"/>, in line order; <paramref name="truncated"/> when over the per-file cap.
    /// <paramref name="secretSpans"/>, when given, receives where the reported secrets are (to redact a copy of the text).
    /// </summary>
    public IReadOnlyList<SecretMatch> Scan(string text, out bool truncated, List<(int Start, int Length)>? secretSpans = null)
    {
        truncated = false;
        var found = new List<SecretMatch>();
        if (rules.Length == 0)
        {
            return found;
        }

        var seen = new HashSet<(string Rule, int Line, string Redacted)>();
        var spans = new List<(int Start, int End)>();
        var position = 0;
        var line = 1;
        var lineCountedTo = 0;
        while (position < text.Length)
        {
            var hit = text.AsSpan(position).IndexOfAny(keywords);
            if (hit < 0)
            {
                break;
            }

            hit += position;
            var lineStart = text.LastIndexOf('\n', hit) + 1;
            var lineEnd = text.IndexOf('\n', hit);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            line += text.AsSpan(lineCountedTo, lineStart - lineCountedTo).Count('\n');
            lineCountedTo = lineStart;
            spans.Clear();
            for (var start = lineStart; start < lineEnd; start += options.MaxLineLength - WindowOverlap)
            {
                var length = Math.Min(options.MaxLineLength, lineEnd - start);
                ScanWindow(text, start, length, line, found, seen, spans, secretSpans);
                if (found.Count >= options.MaxFindingsPerFile)
                {
                    truncated = true;
                    return found;
                }

                if (start + length >= lineEnd)
                {
                    break;
                }
            }

            position = lineEnd + 1;
        }

        return found;
    }

    private void ScanWindow(string text, int start, int length, int line, List<SecretMatch> found,
        HashSet<(string, int, string)> seen, List<(int Start, int End)> specificSpans, List<(int Start, int Length)>? secretSpans)
    {
        var window = text.AsSpan(start, length);
        for (var r = 0; r < rules.Length; r++)
        {
            // Vectorised, like the line search: a per-keyword case-insensitive Contains is several times slower.
            var rule = rules[r];
            if (!window.ContainsAny(ruleKeywords[r]))
            {
                continue;
            }

            for (var match = rule.Pattern.Match(text, start, length); match.Success; match = match.NextMatch())
            {
                var group = match.Groups["secret"];
                var (spanStart, spanEnd) = group.Success ? (group.Index, group.Index + group.Length) : (match.Index, match.Index + match.Length);
                if (rule.Generic && specificSpans.Any(s => s.Start < spanEnd && spanStart < s.End))
                {
                    continue;
                }

                var secret = rule.SecretOf(text, match);
                if (secret is null || allowList.AllowsSecret(secret))
                {
                    continue;
                }

                if (!rule.Generic)
                {
                    specificSpans.Add((spanStart, spanEnd));
                }

                secretSpans?.Add((spanStart, spanEnd - spanStart));
                var redacted = SecretRedaction.Redact(secret);
                if (seen.Add((rule.Id, line, redacted)))
                {
                    found.Add(new SecretMatch { RuleId = rule.Id, Category = rule.Category, Severity = rule.Severity, Title = rule.Title, Line = line, Match = redacted });
                }
            }
        }
    }
}
