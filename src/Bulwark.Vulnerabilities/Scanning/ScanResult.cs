namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>
/// The outcome of matching one image inventory against the advisory database: what was scanned, the state of the
/// database (an empty or stale one is always carried, never hidden behind "0 vulnerabilities"), one entry per
/// vulnerable package and finding, and everything that limited the scan. A plain record with no report format in
/// it: the table, JSON, SARIF and CycloneDX writers and the server all read the same object.
/// </summary>
public sealed record ScanResult
{
    public required ScanTarget Target { get; init; }

    /// <summary>When the scan ran (the scanner's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset ScannedAt { get; init; }

    public required ScanDatabaseStatus Database { get; init; }

    /// <summary>Packages in the inventory.</summary>
    public required int PackageCount { get; init; }

    /// <summary>Packages that were matched against an advisory ecosystem (the rest are counted in <see cref="Warnings"/>).</summary>
    public required int CheckedPackageCount { get; init; }

    /// <summary>One entry per (package, merged advisory), ordered by target, package and id.</summary>
    public required IReadOnlyList<ScanFinding> Findings { get; init; }

    /// <summary>Everything that limited the scan: empty or stale database, unsupported OS or package types, match problems, analysis warnings.</summary>
    public required IReadOnlyList<ScanWarning> Warnings { get; init; }

    /// <summary>Secrets found by image analysis (matches redacted; the full value is never carried).</summary>
    public IReadOnlyList<Bulwark.Analysis.Secrets.SecretFinding> Secrets { get; init; } = [];

    /// <summary>Risky image configuration found by analysis (BWK-CFG-001…): root user, secrets in ENV, setuid and world-writable files…</summary>
    public IReadOnlyList<Bulwark.Analysis.Configuration.ConfigFinding> ConfigFindings { get; init; } = [];
}
