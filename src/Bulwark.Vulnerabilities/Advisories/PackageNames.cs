using System.Text;

namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// The form of a package name that two spellings of the same package share in an ecosystem, used as the index key
/// on both sides of a match.
/// </summary>
public static class PackageNames
{
    public static string Normalize(string ecosystem, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ecosystem switch
        {
            // PEP 503: lower case, runs of '-', '_' and '.' become one '-'.
            "PyPI" => Pep503(name),

            // NuGet ids and Composer package names are case-insensitive.
            "NuGet" or "Packagist" => name.ToLowerInvariant(),

            // Maven coordinates are group:artifact (case-sensitive); a purl-style group/artifact is accepted too.
            "Maven" => name.Contains(':', StringComparison.Ordinal) ? name : name.Replace('/', ':'),

            // Go module paths, npm names (incl. @scope/name), crates, gems and distribution packages are exact.
            _ => name,
        };
    }

    private static string Pep503(string name)
    {
        if (IsPep503Normal(name))
        {
            // Already normal (most names a pass looks up again and again): no copy.
            return name;
        }

        var builder = new StringBuilder(name.Length);
        var separator = false;
        foreach (var c in name.Trim())
        {
            if (c is '-' or '_' or '.')
            {
                separator = true;
                continue;
            }

            if (separator && builder.Length > 0)
            {
                builder.Append('-');
            }

            separator = false;
            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    // Lower case, no '_' or '.', single '-' only between other characters, no white space: what Pep503 returns unchanged.
    private static bool IsPep503Normal(string name)
    {
        var afterSeparator = true;
        foreach (var c in name)
        {
            if (c == '-')
            {
                if (afterSeparator)
                {
                    return false;
                }

                afterSeparator = true;
                continue;
            }

            if (c is '_' or '.' || char.IsWhiteSpace(c) || char.ToLowerInvariant(c) != c)
            {
                return false;
            }

            afterSeparator = false;
        }

        return !afterSeparator || name.Length == 0;
    }
}
