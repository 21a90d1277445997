namespace Bulwark.Analysis.Packages.Java;

/// <summary>The main section of a JAR manifest (JAR File Specification: <c>Name: value</c>, continuation lines start with one space).</summary>
internal static class JavaManifest
{
    public static Dictionary<string, string> MainAttributes(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? key = null;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                // The main section ends at the first blank line; per-entry sections follow.
                break;
            }

            if (line[0] == ' ' && key is not null)
            {
                result[key] += line[1..];
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                key = null;
                continue;
            }

            key = line[..colon].Trim();
            result[key] = line[(colon + 1)..].TrimStart();
        }

        return result;
    }
}
