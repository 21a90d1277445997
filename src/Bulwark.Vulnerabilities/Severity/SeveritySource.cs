namespace Bulwark.Vulnerabilities.Severity;

/// <summary>Which rating a finding's severity was taken from, in precedence order.</summary>
public enum SeveritySource
{
    /// <summary>The distribution's own rating (Debian urgency, Ubuntu priority, Red Hat impact).</summary>
    Vendor,

    /// <summary>The GitHub advisory database's rating (<c>database_specific.severity</c>).</summary>
    GitHubAdvisory,

    /// <summary>The highest CVSS base score among the advisories' vectors.</summary>
    Cvss,

    /// <summary>No advisory carried a rating.</summary>
    None,
}
