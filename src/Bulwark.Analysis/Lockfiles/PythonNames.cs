using System.Text.RegularExpressions;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>Python distribution names: PEP 503 normalisation, which is also purl-spec's pypi rule (lower case, <c>-</c>).</summary>
internal static partial class PythonNames
{
    public static string Normalize(string name) => Separators().Replace(name.Trim(), "-").ToLowerInvariant();

    public static string Purl(string name, string version) => PackageUrl.Create(PackageTypes.PyPI, null, Normalize(name), version);

    [GeneratedRegex("[-_.]+")]
    private static partial Regex Separators();
}
