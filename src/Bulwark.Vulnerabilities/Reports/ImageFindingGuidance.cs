using Bulwark.Analysis.Configuration;
using Bulwark.Analysis.Secrets;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// What reports say about secret and configuration findings beyond the finding itself: the fix for a secret and
/// the CWE of each kind of finding (SARIF tags it <c>external/cwe/cwe-N</c>, which GitHub code scanning shows).
/// </summary>
public static class ImageFindingGuidance
{
    private static readonly Dictionary<string, int> ConfigCwes = new(StringComparer.Ordinal)
    {
        [ConfigChecks.RunsAsRoot.Id] = 250,              // Execution with Unnecessary Privileges
        [ConfigChecks.SecretInEnv.Id] = 526,             // Cleartext Storage of Sensitive Information in an Environment Variable
        [ConfigChecks.UnpinnedBaseImage.Id] = 1357,      // Reliance on Insufficiently Trustworthy Component
        [ConfigChecks.RemoteAdd.Id] = 494,               // Download of Code Without Integrity Check
        [ConfigChecks.SetIdFile.Id] = 250,
        [ConfigChecks.WorldWritableFile.Id] = 732,       // Incorrect Permission Assignment for Critical Resource
        [ConfigChecks.WorldWritableDirectory.Id] = 732,
    };

    /// <summary>The fix for a secret: out of every layer or the config, and rotated — a pulled image keeps it forever.</summary>
    public static string SecretRemediation(SecretFinding secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Path is null
            ? "Rotate the credential at its issuer now (anyone who can pull the image can read it), remove it from the image configuration (ENV, LABEL, build arguments) and pass it at run time (a secret store or a mounted file)."
            : "Rotate the credential at its issuer now (anyone who can pull the image can read it), and rebuild so that no layer contains the file: deleting it in a later layer leaves it in the earlier one.";
    }

    /// <summary>The CWE of a configuration check (<c>BWK-CFG-…</c>); null when none fits.</summary>
    public static int? ConfigCwe(string checkId) => ConfigCwes.TryGetValue(checkId, out var cwe) ? cwe : null;

    /// <summary>Hard-coded credentials: the CWE of every secret finding.</summary>
    public const int SecretCwe = 798;

    /// <summary>A configuration finding's place as reports write it: the file from <c>/</c>, else the config key.</summary>
    public static string Where(ConfigFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Path is { } path ? "/" + path.TrimStart('/') : finding.Location;
    }
}
