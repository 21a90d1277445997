namespace Bulwark.Vulnerabilities.Osv;

/// <summary>What a distribution says about a vulnerable package that has no fixed version.</summary>
public enum DistroStatus
{
    /// <summary>Affected and a fix is expected (Debian "open").</summary>
    Affected,

    /// <summary>The distribution decided not to fix it in this release (Debian "ignored").</summary>
    WillNotFix,

    /// <summary>A fix is postponed to a later point release (Debian "postponed").</summary>
    FixDeferred,

    /// <summary>Not yet known whether the release is affected (Debian "undetermined").</summary>
    UnderInvestigation,
}
