namespace Bulwark.Analysis.Packages.Java;

/// <summary>
/// The subset of <c>java.util.Properties</c> text that Maven writes to <c>pom.properties</c>: <c>key=value</c> or
/// <c>key: value</c>, <c>#</c>/<c>!</c> comments, backslash escapes of the separators.
/// </summary>
internal static class JavaProperties
{
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } raw)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var separator = line.IndexOfAny(['=', ':']);
            while (separator > 0 && line[separator - 1] == '\\')
            {
                separator = line.IndexOfAny(['=', ':'], separator + 1);
            }

            if (separator <= 0)
            {
                continue;
            }

            var key = line[..separator].Trim().Replace("\\=", "=", StringComparison.Ordinal).Replace("\\:", ":", StringComparison.Ordinal);
            result.TryAdd(key, line[(separator + 1)..].Trim().Replace("\\:", ":", StringComparison.Ordinal).Replace("\\=", "=", StringComparison.Ordinal));
        }

        return result;
    }
}
