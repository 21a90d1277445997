namespace Bulwark.Vulnerabilities.Severity;

/// <summary>The qualitative severity scale shared by CVSS, GitHub advisories and the distributions (mapped onto it).</summary>
public enum SeverityRating
{
    Unknown,
    None,
    Low,
    Medium,
    High,
    Critical,
}
