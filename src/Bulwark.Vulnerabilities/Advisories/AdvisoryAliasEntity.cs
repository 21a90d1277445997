namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>Another id of the same vulnerability (a CVE, GHSA, PYSEC… id) named by an advisory.</summary>
public sealed class AdvisoryAliasEntity
{
    public required string Source { get; set; }

    public required string AdvisoryId { get; set; }

    public required string Alias { get; set; }
}
