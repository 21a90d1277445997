using System.Text;

namespace Bulwark.Analysis.Inventory;

/// <summary>Builds package URLs (purl-spec): <c>pkg:type/namespace/name@version?qualifiers</c>, percent-encoded.</summary>
public static class PackageUrl
{
    public static string Create(string type, string? @namespace, string name, string? version,
        IEnumerable<KeyValuePair<string, string?>>? qualifiers = null)
    {
        var builder = new StringBuilder("pkg:").Append(type).Append('/');
        if (!string.IsNullOrEmpty(@namespace))
        {
            // purl-spec: each namespace segment is encoded on its own (pkg:golang/github.com/x/y, pkg:maven/org.x/y).
            builder.AppendJoin('/', @namespace.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(segment => Encode(segment))).Append('/');
        }

        builder.Append(Encode(name));
        if (!string.IsNullOrEmpty(version))
        {
            builder.Append('@').Append(Encode(version));
        }

        var first = true;
        // purl-spec: qualifiers sorted by key, empty values dropped.
        foreach (var (key, value) in (qualifiers ?? []).Where(q => !string.IsNullOrEmpty(q.Value)).OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            builder.Append(first ? '?' : '&').Append(key).Append('=').Append(Encode(value!, keepSlash: true));
            first = false;
        }

        return builder.ToString();
    }

    // purl-spec: '/' separates segments, so it is encoded in names and versions but left as is in qualifier values
    // (repository_url=docker.io/library/debian).
    private static string Encode(string value, bool keepSlash = false)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
