namespace Bulwark.Vulnerabilities.Osv;

/// <summary>How a range's versions are ordered (OSV "affected[].ranges[].type").</summary>
public enum OsvRangeType
{
    /// <summary>SemVer 2.0.0 precedence whatever the ecosystem.</summary>
    Semver,

    /// <summary>The ecosystem's own version ordering.</summary>
    Ecosystem,

    /// <summary>Commit hashes; Bulwark matches released versions only, so these ranges are kept but never evaluated.</summary>
    Git,
}
