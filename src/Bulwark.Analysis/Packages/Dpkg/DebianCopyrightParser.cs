namespace Bulwark.Analysis.Packages.Dpkg;

/// <summary>
/// Licence names from a Debian copyright file: the <c>License:</c> fields of the machine-readable format
/// (DEP-5, copyright-format/1.0). Free-form copyright files yield nothing rather than a guess.
/// </summary>
public static class DebianCopyrightParser
{
    public static IReadOnlyList<string> Parse(string content)
    {
        var licenses = new List<string>();
        foreach (var line in content.Split('\n'))
        {
            if (!line.StartsWith("License:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = line["License:".Length..].Trim();
            if (name.Length > 0 && name.Length < 200 && !licenses.Contains(name, StringComparer.Ordinal))
            {
                licenses.Add(name);
            }
        }

        return licenses;
    }
}
