using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using NuGet.Packaging.Licenses;

namespace Bulwark.Analysis.Sbom;

/// <summary>
/// Turns licence strings found in packages into SPDX licence expressions when they are (or plainly name) licences on
/// the SPDX list. The list and the expression grammar come from NuGet.Packaging (<see cref="NuGetLicenseData"/>,
/// <see cref="NuGetLicenseExpression"/>); ids are matched case-insensitively and written in the list's spelling;
/// deprecated GNU ids and Debian's DEP-5 short names (<c>GPL-2+</c>, <c>LGPL-2.1</c>, <c>Expat</c>) are mapped to
/// their current ids. Anything else is not an SPDX expression and is written as a name or a <c>LicenseRef-</c>.
/// </summary>
public static partial class SpdxLicenses
{
    private static readonly FrozenDictionary<string, string> Licenses =
        NuGetLicenseData.LicenseList.Keys.ToFrozenDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> Exceptions =
        NuGetLicenseData.ExceptionList.Keys.ToFrozenDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);

    // DEP-5 short names that are not SPDX ids under the same name (Debian copyright-format 1.0, "License short name").
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Expat"] = "MIT",
        ["Artistic"] = "Artistic-1.0",
        ["Apache-2"] = "Apache-2.0",
        ["MPL-2"] = "MPL-2.0",
        ["PSF-2"] = "PSF-2.0",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The SPDX licence list version the ids come from.</summary>
    public static string ListVersion => NuGetLicenseData.LicenseListVersion;

    /// <summary>True when <paramref name="id"/> is exactly an id on the SPDX licence list (as written by <see cref="Normalize"/>).</summary>
    public static bool IsListedId(string id) => Licenses.TryGetValue(id, out var canonical) && canonical == id
        && !NuGetLicenseData.LicenseList[canonical].IsDeprecatedLicenseId;

    /// <summary>The SPDX expression <paramref name="license"/> stands for, or null when it is not one.</summary>
    public static string? Normalize(string? license)
    {
        if (string.IsNullOrWhiteSpace(license) || license.Length > 1000)
        {
            return null;
        }

        var builder = new StringBuilder(license.Length + 16);
        foreach (Match token in Token().Matches(license.Trim()))
        {
            var text = token.Value;
            if (text is "(" or ")")
            {
                builder.Append(text);
                continue;
            }

            if (builder.Length > 0 && builder[^1] != '(')
            {
                builder.Append(' ');
            }

            var upper = text.ToUpperInvariant();
            if (upper is "AND" or "OR" or "WITH")
            {
                builder.Append(upper);
            }
            else if (Exceptions.TryGetValue(text, out var exception))
            {
                builder.Append(exception);
            }
            else if (MapId(text) is { } id)
            {
                builder.Append(id);
            }
            else
            {
                return null;
            }
        }

        var candidate = builder.ToString().Replace("( ", "(", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal);
        try
        {
            var parsed = NuGetLicenseExpression.Parse(candidate);
            return parsed.HasOnlyStandardIdentifiers() ? candidate : null;
        }
        catch (NuGetLicenseExpressionParsingException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>True when the expression is a single id (no operator).</summary>
    public static bool IsSingleId(string expression) => !expression.Contains(' ', StringComparison.Ordinal);

    private static string? MapId(string text)
    {
        if (Aliases.TryGetValue(text, out var alias))
        {
            return alias;
        }

        if (Licenses.TryGetValue(text, out var id) && !NuGetLicenseData.LicenseList[id].IsDeprecatedLicenseId)
        {
            return id;
        }

        // GNU families: GPL-2, GPL-2+, GPL-2.0, GPL-2.0+, LGPL-2.1+ … → X.Y-only / X.Y-or-later.
        var gnu = GnuId().Match(text);
        if (gnu.Success)
        {
            var version = gnu.Groups[2].Value.Contains('.', StringComparison.Ordinal) ? gnu.Groups[2].Value : gnu.Groups[2].Value + ".0";
            var mapped = $"{gnu.Groups[1].Value.ToUpperInvariant()}-{version}-{(gnu.Groups[3].Success ? "or-later" : "only")}";
            return Licenses.TryGetValue(mapped, out var gnuId) ? gnuId : null;
        }

        return null;
    }

    [GeneratedRegex(@"\(|\)|[^\s()]+")]
    private static partial Regex Token();

    [GeneratedRegex(@"^(GPL|LGPL|AGPL|GFDL)-(\d+(?:\.\d+)?)(\+|-or-later)?$", RegexOptions.IgnoreCase)]
    private static partial Regex GnuId();
}
