namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>Why a scan is less than complete.</summary>
public enum ScanWarningKind
{
    /// <summary>The advisory database has no advisory: no finding is possible.</summary>
    DatabaseEmpty,

    /// <summary>The advisory database is older than the allowed age: newer vulnerabilities are missed.</summary>
    DatabaseStale,

    /// <summary>Packages of an ecosystem were checked, but the database has no advisory for that ecosystem.</summary>
    EcosystemNotCovered,

    /// <summary>The image's distribution has no advisory feed Bulwark can match: its OS packages were not checked.</summary>
    UnsupportedOperatingSystem,

    /// <summary>Packages of a type with no advisory ecosystem were not checked.</summary>
    UnsupportedPackageType,

    /// <summary>An advisory could not be evaluated for a package (unparseable version, malformed range).</summary>
    MatchProblem,

    /// <summary>The image analysis reported a problem (an unreadable package database, a skipped file).</summary>
    Analysis,
}
