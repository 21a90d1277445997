namespace Bulwark.Analysis.Packages.Dpkg;

/// <summary>
/// Splits Debian control data (deb-control(5), the format of <c>var/lib/dpkg/status</c>) into paragraphs of
/// fields. Continuation lines (starting with a space or tab) are appended to the previous field; field names
/// are case-insensitive.
/// </summary>
public static class DebianControlParser
{
    public static IEnumerable<Dictionary<string, string>> Parse(TextReader reader)
    {
        Dictionary<string, string>? paragraph = null;
        string? lastField = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.Trim().Length == 0)
            {
                if (paragraph is { Count: > 0 })
                {
                    yield return paragraph;
                }

                paragraph = null;
                lastField = null;
                continue;
            }

            paragraph ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (line[0] is ' ' or '\t')
            {
                if (lastField is not null)
                {
                    paragraph[lastField] += "\n" + line.Trim();
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            lastField = line[..colon].Trim();
            paragraph[lastField] = line[(colon + 1)..].Trim();
        }

        if (paragraph is { Count: > 0 })
        {
            yield return paragraph;
        }
    }
}
