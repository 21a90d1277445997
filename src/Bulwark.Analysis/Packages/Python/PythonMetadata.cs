namespace Bulwark.Analysis.Packages.Python;

/// <summary>
/// The core metadata of a Python distribution (PKG-INFO / METADATA: RFC 822 headers, then the description).
/// Licences: <c>License-Expression</c> (PEP 639), else a one-line <c>License</c>, else the
/// <c>License :: …</c> classifiers.
/// </summary>
public sealed record PythonMetadata
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public IReadOnlyList<string> Licenses { get; init; } = [];

    /// <summary>purl-spec pypi: lower case, <c>_</c> replaced by <c>-</c>.</summary>
    public static string PurlName(string name) => name.ToLowerInvariant().Replace('_', '-');

    /// <summary>Parses the header block; null without Name or Version.</summary>
    public static PythonMetadata? Parse(string text)
    {
        string? name = null, version = null, license = null, expression = null;
        var classifiers = new List<string>();
        string? last = null;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                break;
            }

            if (line[0] is ' ' or '\t')
            {
                // A continuation line: only a multi-line License matters, and it disqualifies the field as a name.
                if (last == "License")
                {
                    license = null;
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            last = line[..colon];
            var value = line[(colon + 1)..].Trim();
            switch (last.ToLowerInvariant())
            {
                case "name":
                    name ??= value;
                    break;
                case "version":
                    version ??= value;
                    break;
                case "license":
                    license = value;
                    break;
                case "license-expression":
                    expression = value;
                    break;
                case "classifier" when value.StartsWith("License ::", StringComparison.Ordinal):
                    var leaf = value[(value.LastIndexOf("::", StringComparison.Ordinal) + 2)..].Trim();
                    if (leaf.Length > 0 && leaf != "OSI Approved")
                    {
                        classifiers.Add(leaf);
                    }

                    break;
            }
        }

        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
        {
            return null;
        }

        IReadOnlyList<string> licenses = !string.IsNullOrEmpty(expression) ? [expression]
            : !string.IsNullOrEmpty(license) && license != "UNKNOWN" && license.Length <= 200 ? [license]
            : [.. classifiers.Distinct(StringComparer.Ordinal)];
        return new PythonMetadata { Name = name, Version = version, Licenses = licenses };
    }
}
