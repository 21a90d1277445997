namespace Bulwark.Analysis;

/// <summary>A compiled path glob: segments matched one by one, <c>**</c> standing for zero or more segments.</summary>
internal sealed class PathGlob
{
    private readonly string[] segments;

    // The literal end of the last segment (".jar" of "**/*.jar", "package.json"): every matching path ends with it,
    // so most paths of a layer are rejected without splitting them.
    private readonly string requiredSuffix;

    // The literal leading segments ("usr/share/doc" of "usr/share/doc/**"): every matching path starts with them.
    private readonly string requiredPrefix;

    private PathGlob(string[] segments)
    {
        this.segments = segments;
        var last = segments[^1];
        var wildcard = last.LastIndexOfAny(['*', '?']);
        requiredSuffix = last == "**" ? "" : last[(wildcard + 1)..];
        requiredPrefix = string.Join('/', segments.TakeWhile(s => s.IndexOfAny(['*', '?']) < 0));
    }

    public static PathGlob Compile(string pattern) => new(pattern.Trim('/').Split('/'));

    public bool Matches(string path)
    {
        if (!path.EndsWith(requiredSuffix, StringComparison.Ordinal) || !path.StartsWith(requiredPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        // The path's segments as ranges, without a string per segment (globs are tried on every entry of a layer).
        var span = path.AsSpan();
        var count = span.Count('/') + 1;
        var parts = count <= 64 ? stackalloc Range[count] : new Range[count];
        span.Split(parts, '/');
        return MatchSegments(0, span, parts, 0);
    }

    private bool MatchSegments(int patternIndex, ReadOnlySpan<char> path, ReadOnlySpan<Range> parts, int partIndex)
    {
        while (patternIndex < segments.Length)
        {
            var segment = segments[patternIndex];
            if (segment == "**")
            {
                for (var skip = partIndex; skip <= parts.Length; skip++)
                {
                    if (MatchSegments(patternIndex + 1, path, parts, skip))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (partIndex >= parts.Length || !MatchSegment(segment, path[parts[partIndex]]))
            {
                return false;
            }

            patternIndex++;
            partIndex++;
        }

        return partIndex == parts.Length;
    }

    private static bool MatchSegment(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Iterative wildcard match with a single backtrack point: linear for the patterns analyzers use.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
