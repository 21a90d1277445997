namespace Bulwark.Vulnerabilities.Matching;

/// <summary>Whether an affected package can be upgraded out of a vulnerability.</summary>
public enum FixStatus
{
    /// <summary>A fixed version exists.</summary>
    Fixed,

    /// <summary>Affected and no fixed version is known yet.</summary>
    Affected,

    /// <summary>The distribution postponed the fix.</summary>
    FixDeferred,

    /// <summary>The distribution will not fix it in this release.</summary>
    WillNotFix,

    /// <summary>The distribution has not yet determined whether the release is affected.</summary>
    UnderInvestigation,
}
