using System.Text.RegularExpressions;

namespace Bulwark.Vulnerabilities.Matching;

/// <summary>
/// Converts a Go toolchain version as binaries record it (<c>go1.21.3</c>, <c>go1.21</c>, <c>go1.22rc1</c>) into
/// the SemVer that golang/vulndb uses for the <c>stdlib</c> and <c>toolchain</c> packages.
/// </summary>
public static partial class GoToolchainVersion
{
    public static string? ToSemVer(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var match = Toolchain().Match(version);
        if (!match.Success)
        {
            return null;
        }

        var patch = match.Groups["patch"].Success ? match.Groups["patch"].Value : "0";
        var core = $"{match.Groups["major"].Value}.{match.Groups["minor"].Value}.{patch}";
        return match.Groups["pre"].Success ? $"{core}-{match.Groups["pre"].Value}.{match.Groups["pre_n"].Value}" : core;
    }

    [GeneratedRegex(@"^(?:go)?v?(?<major>0|[1-9][0-9]*)\.(?<minor>0|[1-9][0-9]*)(?:\.(?<patch>0|[1-9][0-9]*))?(?:(?<pre>rc|beta|alpha)(?<pre_n>[0-9]+))?$")]
    private static partial Regex Toolchain();
}
