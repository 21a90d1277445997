using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Osv;
using Bulwark.Vulnerabilities.Severity;
using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Matching;

/// <summary>
/// Matches installed packages against the advisory store. Distribution packages (Debian, Ubuntu, Alpine) are looked
/// up by source package in their release's feed; language packages by ecosystem and normalized name. Advisories
/// that name each other (aliases) are merged into one finding per package.
/// </summary>
public sealed class AdvisoryMatcher(AdvisoryStore store)
{
    /// <summary>The rating of each advisory entry matched alone, kept for as long as the parsed entry lives.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<OsvAffected, Rated> Ratings = new();

    /// <summary>The parts of each advisory a finding of it alone takes, kept for as long as the parsed advisory lives.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<OsvVulnerability, AdvisoryParts> Parts = new();

    public async Task<MatchResult> MatchAsync(IEnumerable<PackageQuery> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var findings = new List<Finding>();
        var problems = new List<MatchProblem>();
        foreach (var package in packages)
        {
            var (ecosystem, name, _) = LookupKey(package);
            var advisories = await store.FindByPackageAsync(ecosystem, name, cancellationToken).ConfigureAwait(false);
            var result = Match(package, advisories);
            findings.AddRange(result.Findings);
            problems.AddRange(result.Problems);
        }

        return new MatchResult(findings, problems);
    }

    /// <summary>Evaluates one package against candidate advisories (those the store returned for its lookup key).</summary>
    public static MatchResult Match(PackageQuery package, IReadOnlyList<StoredAdvisory> candidates)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(candidates);
        var problems = new List<MatchProblem>();
        var (ecosystem, name, version) = LookupKey(package);
        if (version is null)
        {
            problems.Add(new MatchProblem(package, null, $"'{package.Version}' is not a Go toolchain version (expected e.g. go1.21.3)"));
            return new MatchResult([], problems);
        }

        // Parsed once for every candidate entry (and each order it is compared in), not once per entry.
        var installed = new InstalledVersion(version);
        if (VersionComparers.TryFor(ecosystem.Name, out var comparer) && candidates.Count > 0 && installed.For(comparer) is null)
        {
            problems.Add(new MatchProblem(package, null,
                $"installed version '{version}' is not a valid {ecosystem.Name} version; {candidates.Count} advisories for {name} could not be evaluated"));
            return new MatchResult([], problems);
        }

        var normalized = PackageNames.Normalize(ecosystem.Name, name);
        var hits = new List<Hit>();
        foreach (var candidate in candidates)
        {
            var advisory = candidate.Advisory;
            if (advisory.Withdrawn is not null)
            {
                continue;
            }

            foreach (var affected in advisory.Affected)
            {
                var prepared = OsvRangeEvaluator.Prepare(affected);
                var affectedEcosystem = prepared.Ecosystem ?? EcosystemName.Parse(affected.Package.Ecosystem);
                if (affectedEcosystem != ecosystem || prepared.NormalizedName != normalized)
                {
                    continue;
                }

                var verdict = prepared.Evaluate(installed);
                if (verdict.Problem is not null)
                {
                    problems.Add(new MatchProblem(package, advisory.Id, verdict.Problem));
                }

                if (verdict.Affected)
                {
                    hits.Add(new Hit(candidate, affected, verdict));
                }
            }
        }

        var findings = Merge(hits).Select(group => ToFinding(package, version, group, comparer)).ToList();
        return new MatchResult(findings, problems);
    }

    /// <summary>The ecosystem, name and version the package is looked up and evaluated by; version null when unusable.</summary>
    public static (EcosystemName Ecosystem, string Name, string? Version) LookupKey(PackageQuery package)
    {
        var ecosystem = EcosystemName.Parse(package.Ecosystem);
        if (ecosystem.Name is "Debian" or "Ubuntu" or "Alpine" && package.SourceName is { Length: > 0 } source)
        {
            return (ecosystem, source, package.SourceVersion ?? package.Version);
        }

        if (ecosystem.Name == "Go")
        {
            if (package.Name is "stdlib" or "toolchain")
            {
                return (ecosystem, package.Name, GoToolchainVersion.ToSemVer(package.Version));
            }

            // Module versions carry a "v" that golang/vulndb's OSV ranges do not.
            return (ecosystem, package.Name, package.Version.StartsWith('v') ? package.Version[1..] : package.Version);
        }

        return (ecosystem, package.Name, package.Version);
    }

    // Union of advisories that share any id or alias: GHSA-x, PYSEC-y and CVE-z about one flaw become one finding.
    private static List<List<Hit>> Merge(List<Hit> hits)
    {
        if (hits.Count <= 1)
        {
            return hits.Count == 0 ? [] : [[hits[0]]];
        }

        var parent = Enumerable.Range(0, hits.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < hits.Count; i++)
        {
            foreach (var id in hits[i].Ids)
            {
                if (owner.TryGetValue(id, out var other))
                {
                    parent[Find(i)] = Find(other);
                }
                else
                {
                    owner[id] = i;
                }
            }
        }

        return [.. Enumerable.Range(0, hits.Count).GroupBy(Find).Select(g => g.Select(i => hits[i]).ToList())];
    }

    private static Finding ToFinding(PackageQuery package, string version, List<Hit> group, IVersionComparer? comparer)
    {
        // A group of one advisory (most findings) takes its ids, CWEs and references as worked out once per parsed advisory.
        var parts = group.Count == 1
            ? Parts.GetValue(group[0].Stored.Advisory, static a => new AdvisoryParts([a]))
            : new AdvisoryParts([.. group.Select(h => h.Stored.Advisory)]);
        var ids = parts.Ids;
        var primary = ids.FirstOrDefault(i => i.StartsWith("CVE-", StringComparison.Ordinal))
            ?? ids.FirstOrDefault(i => i.StartsWith("GHSA-", StringComparison.Ordinal))
            ?? group[0].Stored.Advisory.Id;

        // The upgrade must clear every merged advisory: the highest of each advisory's nearest fix.
        var fixes = group.SelectMany(h => h.Verdict.FixedVersions).Distinct(StringComparer.Ordinal).ToList();
        if (comparer is not null)
        {
            fixes.Sort((a, b) => SafeCompare(comparer, a, b));
        }

        var status = fixes.Count > 0
            ? FixStatus.Fixed
            : group.Select(h => h.Affected.Status ?? DistroStatus.Affected).Min() switch
            {
                DistroStatus.Affected => FixStatus.Affected,
                DistroStatus.FixDeferred => FixStatus.FixDeferred,
                DistroStatus.WillNotFix => FixStatus.WillNotFix,
                _ => FixStatus.UnderInvestigation,
            };
        string? recommended = null;
        foreach (var hit in group.Where(h => h.Verdict.FixedVersions.Count > 0))
        {
            var nearest = hit.Verdict.FixedVersions.Aggregate((a, b) => Lower(comparer, a, b));
            recommended = recommended is null || Lower(comparer, recommended, nearest) == recommended ? nearest : recommended;
        }

        return new Finding
        {
            Package = package,
            Id = primary,
            Ids = ids,
            Advisories = [.. group.Select(h => h.Stored.Source + "/" + h.Stored.Advisory.Id).Distinct(StringComparer.Ordinal)],
            Summary = group.Select(h => h.Stored.Advisory.Summary).FirstOrDefault(s => !string.IsNullOrWhiteSpace(s)),
            InstalledVersion = version,
            FixedVersions = fixes,
            Status = status,
            Severity = Assess(group),
            Remediation = Remediation.For(package, status, recommended),
            Published = Earliest(group),
            Modified = Latest(group),
            Cwes = parts.Cwes,
            References = parts.References,
        };
    }

    /// <summary>
    /// The rating of a merged group. A group of one advisory entry (most findings) is rated once per entry and the rating
    /// kept with it, since it depends on that entry and its advisory alone (CVSS vectors are parsed to rate them).
    /// </summary>
    private static SeverityAssessment Assess(List<Hit> group)
    {
        if (group.Count != 1)
        {
            return SeverityPrecedence.Assess(group.Select(h => (h.Stored.Advisory, h.Affected)));
        }

        var (advisory, affected) = (group[0].Stored.Advisory, group[0].Affected);
        if (Ratings.TryGetValue(affected, out var known) && ReferenceEquals(known.Advisory, advisory))
        {
            return known.Severity;
        }

        var severity = SeverityPrecedence.Assess([(advisory, affected)]);
        Ratings.AddOrUpdate(affected, new Rated(advisory, severity));
        return severity;
    }

    private static DateTimeOffset? Earliest(List<Hit> group)
    {
        DateTimeOffset? earliest = null;
        foreach (var hit in group)
        {
            if (hit.Stored.Advisory.Published is { } published && (earliest is null || published < earliest))
            {
                earliest = published;
            }
        }

        return earliest;
    }

    private static DateTimeOffset? Latest(List<Hit> group)
    {
        DateTimeOffset? latest = null;
        foreach (var hit in group)
        {
            if (hit.Stored.Advisory.Modified is { } modified && (latest is null || modified > latest))
            {
                latest = modified;
            }
        }

        return latest;
    }

    private static string Lower(IVersionComparer? comparer, string a, string b) =>
        comparer is null || SafeCompare(comparer, a, b) <= 0 ? a : b;

    // Fixed versions from a SEMVER range can be foreign to the ecosystem's grammar; order those by text rather than fail the scan.
    private static int SafeCompare(IVersionComparer comparer, string a, string b) =>
        comparer.IsValid(a) && comparer.IsValid(b) ? comparer.Compare(a, b) : string.CompareOrdinal(a, b);

    private sealed record Rated(OsvVulnerability Advisory, SeverityAssessment Severity);

    /// <summary>What a finding takes from its merged advisories: ids and aliases (distinct, sorted), CWEs (distinct, sorted), references (one per URL, in advisory order).</summary>
    private sealed class AdvisoryParts(IReadOnlyList<OsvVulnerability> advisories)
    {
        public string[] Ids { get; } = [.. advisories.SelectMany(a => a.Aliases.Prepend(a.Id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

        public int[] Cwes { get; } = [.. advisories.SelectMany(a => a.Cwes).Distinct().Order()];

        public OsvReference[] References { get; } = [.. advisories.SelectMany(a => a.References).DistinctBy(r => r.Url, StringComparer.Ordinal)];
    }

    private sealed record Hit(StoredAdvisory Stored, OsvAffected Affected, AffectedVerdict Verdict)
    {
        public IEnumerable<string> Ids => Stored.Advisory.Aliases.Prepend(Stored.Advisory.Id);
    }
}
