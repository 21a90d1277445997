using System.Buffers;
using System.Text;

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
    private readonly (string Keyword, ulong Rules)[] keywordRules;
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
        if (rules.Length > 64)
        {
            throw new ArgumentException($"{rules.Length} secret rules; the keyword index holds 64", nameof(options));
        }

        // Which rules each keyword belongs to, as a bit per rule: one keyword search serves every rule (see RulesIn).
        keywordRules = [.. rules.SelectMany((r, i) => r.Keywords.Select(k => (Keyword: k, Rule: i)))
            .GroupBy(k => k.Keyword, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.Key, g.Aggregate(0UL, (mask, k) => mask | (1UL << k.Rule))))];
    }

    public SecretScanOptions Options => options;

    public SecretAllowList AllowList => allowList;

    /// <summary>
    /// The secrets in <paramref name="text"/>, in line order; <paramref name="truncated"/> when over the per-file cap.
    /// <paramref name="secretSpans"/>, when given, receives where the reported secrets are (to redact a copy of the text).
    /// </summary>
    public IReadOnlyList<SecretMatch> Scan(string text, out bool truncated, List<(int Start, int Length)>? secretSpans = null) =>
        Scan(new Text(text, null, text.Length), out truncated, secretSpans);

    /// <summary>
    /// The secrets in UTF-8 <paramref name="utf8"/> (invalid sequences read as U+FFFD, as <see cref="Encoding.UTF8"/>
    /// decodes them): the same findings as <see cref="Scan(string, out bool, List{ValueTuple{int, int}}?)"/> on the
    /// decoded string, without making that string. The text is decoded into a pooled buffer (cleared afterwards) and
    /// only the windows in which a rule's keyword occurs are copied into strings for the rule's expression.
    /// </summary>
    public IReadOnlyList<SecretMatch> Scan(ReadOnlySpan<byte> utf8, out bool truncated)
    {
        // Counted first (one vectorised pass): the buffer is the text's size, not twice the bytes' worst case.
        var chars = AnalysisBuffers.Chars.Rent(Encoding.UTF8.GetCharCount(utf8));
        var length = 0;
        try
        {
            length = Encoding.UTF8.GetChars(utf8, chars);
            return Scan(new Text(null, chars, length), out truncated, null);
        }
        finally
        {
            chars.AsSpan(0, length).Clear();
            AnalysisBuffers.Chars.Return(chars);
        }
    }

    private List<SecretMatch> Scan(Text source, out bool truncated, List<(int Start, int Length)>? secretSpans)
    {
        truncated = false;
        var found = new List<SecretMatch>();
        if (rules.Length == 0)
        {
            return found;
        }

        var text = source.Span;
        HashSet<(string Rule, int Line, string Redacted)>? seen = null;
        List<(int Start, int End)>? spans = null;
        var position = 0;
        var line = 1;
        var lineCountedTo = 0;
        while (position < text.Length)
        {
            var hit = text[position..].IndexOfAny(keywords);
            if (hit < 0)
            {
                break;
            }

            hit += position;
            var lineStart = text[..hit].LastIndexOf('\n') + 1;
            var lineEnd = text[hit..].IndexOf('\n');
            lineEnd = lineEnd < 0 ? text.Length : lineEnd + hit;
            line += text[lineCountedTo..lineStart].Count('\n');
            lineCountedTo = lineStart;
            seen ??= [];
            spans ??= [];
            spans.Clear();
            for (var start = lineStart; start < lineEnd; start += options.MaxLineLength - WindowOverlap)
            {
                var length = Math.Min(options.MaxLineLength, lineEnd - start);
                ScanWindow(source, start, length, line, found, seen, spans, secretSpans);
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

    private void ScanWindow(Text source, int start, int length, int line, List<SecretMatch> found,
        HashSet<(string, int, string)> seen, List<(int Start, int End)> specificSpans, List<(int Start, int Length)>? secretSpans)
    {
        var window = source.Span.Slice(start, length);
        string? windowText = null;
        var present = RulesIn(window);
        for (var r = 0; r < rules.Length; r++)
        {
            var rule = rules[r];
            if ((present & (1UL << r)) == 0)
            {
                continue;
            }

            // Match(input, beginning, length) treats that part of input as the whole input (anchors and lookarounds
            // stop at its ends), so matching a copy of the window finds exactly what matching the whole text there does.
            string input;
            int beginning, offset;
            if (rule.NeedsWholeText || source.HasWhole)
            {
                (input, beginning, offset) = (source.Whole, start, 0);
            }
            else
            {
                (input, beginning, offset) = (windowText ??= new string(window), 0, start);
            }

            for (var match = rule.Pattern.Match(input, beginning, length); match.Success; match = match.NextMatch())
            {
                var group = match.Groups["secret"];
                var (spanStart, spanEnd) = group.Success ? (group.Index, group.Index + group.Length) : (match.Index, match.Index + match.Length);
                (spanStart, spanEnd) = (spanStart + offset, spanEnd + offset);
                if (rule.Generic && Overlaps(specificSpans, spanStart, spanEnd))
                {
                    continue;
                }

                var secret = rule.SecretOf(input, match);
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

    /// <summary>
    /// The rules (a bit each) one of whose keywords occurs in <paramref name="window"/>: every place where the keyword
    /// search stops is checked against each keyword. The same answer as a case-insensitive search per rule, but with
    /// the one <see cref="SearchValues{T}"/> of all keywords (vectorised): each rule's own instance would be another
    /// instantiation of the framework's generic search code, JIT-compiled at run time in every short process.
    /// </summary>
    private ulong RulesIn(ReadOnlySpan<char> window)
    {
        var present = 0UL;
        for (var at = window.IndexOfAny(keywords); at >= 0; at = NextHit(window, at))
        {
            var rest = window[at..];
            foreach (var (keyword, rulesOf) in keywordRules)
            {
                if (rest.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
                {
                    present |= rulesOf;
                }
            }
        }

        return present;
    }

    private int NextHit(ReadOnlySpan<char> window, int previous)
    {
        var next = window[(previous + 1)..].IndexOfAny(keywords);
        return next < 0 ? -1 : previous + 1 + next;
    }

    private static bool Overlaps(List<(int Start, int End)> spans, int start, int end)
    {
        foreach (var span in spans)
        {
            if (span.Start < end && start < span.End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text being searched: a string, or decoded characters in a pooled buffer made a string only if a rule needs it whole.</summary>
    private sealed class Text(string? whole, char[]? chars, int length)
    {
        public bool HasWhole => whole is not null;

        public ReadOnlySpan<char> Span => whole is not null ? whole.AsSpan() : chars.AsSpan(0, length);

        public string Whole => whole ??= new string(chars!, 0, length);
    }
}
