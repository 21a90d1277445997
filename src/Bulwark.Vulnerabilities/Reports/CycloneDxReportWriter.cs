using System.Globalization;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sbom;
using Bulwark.Analysis.Sbom.CycloneDx;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// <c>bulwark scan --format cyclonedx</c>: the SBOM writer's CycloneDX 1.6 BOM of the inventory
/// (<see cref="CycloneDxBuilder"/>) with its <c>vulnerabilities</c> array filled from the report's findings — one entry
/// per advisory id, <c>affects[].ref</c> pointing at each vulnerable package's component. The advisory database's
/// state is in <c>metadata.properties</c>, so an empty database is as visible here as in the other formats.
/// </summary>
public static class CycloneDxReportWriter
{
    /// <summary><c>true</c> when the scan ran against an empty advisory database (no vulnerability could be found).</summary>
    public const string DatabaseEmptyProperty = "bulwark:advisoryDatabase:empty";

    /// <summary><c>true</c> when the advisory database was older than the allowed age.</summary>
    public const string DatabaseStaleProperty = "bulwark:advisoryDatabase:stale";

    /// <summary>When the advisory database was last updated (its stalest source).</summary>
    public const string DatabaseUpdatedProperty = "bulwark:advisoryDatabase:updatedAt";

    /// <summary>Where the severity of a vulnerability came from: <c>vendor</c>, <c>github</c>, <c>cvss</c>, <c>none</c>.</summary>
    public const string SeveritySourceProperty = "bulwark:vulnerability:severitySource";

    /// <summary>One per affected package: <c>purl status</c> with the fix status (<c>fixed</c>, <c>affected</c>, <c>will_not_fix</c>…).</summary>
    public const string FixStatusProperty = "bulwark:vulnerability:fixStatus";

    public static async Task WriteAsync(ScanReport report, ImageInventory inventory, Stream stream, SbomOptions? options, CancellationToken cancellationToken)
    {
        var bom = Build(report, inventory, options);
        await SbomSerializer.WriteAsync(bom, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="inventory">The inventory the report's result was matched from (its packages become the components).</param>
    public static CycloneDxBom Build(ScanReport report, ImageInventory inventory, SbomOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(inventory);
        var bom = CycloneDxBuilder.Build(inventory, options);
        var refs = CycloneDxBuilder.ComponentRefs(inventory);
        var byPlace = new Dictionary<(string Purl, string FoundIn), string>();
        var byPurl = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < inventory.Packages.Count; i++)
        {
            byPlace.TryAdd((inventory.Packages[i].Purl, inventory.Packages[i].FoundIn), refs[i]);
            byPurl.TryAdd(inventory.Packages[i].Purl, refs[i]);
        }

        // A finding always comes from an inventory package; the image itself is the last resort so a ref never dangles.
        var imageRef = bom.Metadata.Component?.BomRef ?? "image";
        string RefOf(ScannedPackage package) =>
            byPlace.GetValueOrDefault((package.Purl, package.FoundIn)) ?? byPurl.GetValueOrDefault(package.Purl) ?? imageRef;

        var vulnerabilities = report.Findings
            .GroupBy(f => f.Finding.Id, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Vulnerability([.. g], RefOf))
            .ToList();

        var database = report.Result.Database;
        var properties = new List<CycloneDxProperty>(bom.Metadata.Properties ?? [])
        {
            new(DatabaseEmptyProperty, database.IsEmpty ? "true" : "false"),
            new(DatabaseStaleProperty, database.IsStale ? "true" : "false"),
        };
        if (database.UpdatedAt is { } updated)
        {
            properties.Add(new(DatabaseUpdatedProperty, Time(updated)));
        }

        return bom with
        {
            Metadata = bom.Metadata with { Properties = properties },
            Vulnerabilities = vulnerabilities,
        };
    }

    private static CycloneDxVulnerability Vulnerability(List<ScanFinding> entries, Func<ScannedPackage, string> refOf)
    {
        var first = entries[0];
        var finding = first.Finding;
        var rating = entries.Max(e => e.Finding.Severity.Rating);
        var severity = entries.First(e => e.Finding.Severity.Rating == rating).Finding.Severity;
        var advisoryIds = entries.SelectMany(e => e.Finding.Advisories).Distinct(StringComparer.Ordinal).ToList();
        var feed = advisoryIds.Select(a => a[..Math.Max(0, a.LastIndexOf('/'))]).FirstOrDefault(n => n.Length > 0);
        var ids = entries.SelectMany(e => e.Finding.Ids).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var cwes = entries.SelectMany(e => e.Finding.Cwes).Distinct().Order().ToList();
        var references = entries.SelectMany(e => e.Finding.References).DistinctBy(r => r.Url, StringComparer.Ordinal).ToList();

        var advisories = new List<CycloneDxAdvisory>();
        foreach (var id in advisoryIds.Select(a => a[(a.LastIndexOf('/') + 1)..]).Distinct(StringComparer.Ordinal))
        {
            advisories.Add(new CycloneDxAdvisory { Title = id, Url = SourceOf(id).Url! });
        }

        advisories.AddRange(references.Where(r => r.Type == "ADVISORY").Select(r => new CycloneDxAdvisory { Url = r.Url }));

        var remediations = entries.Select(e => (e.Package.Name, e.Package.Version, e.Remediation)).Distinct().ToList();
        return new CycloneDxVulnerability
        {
            Id = finding.Id,
            Source = new CycloneDxSource { Name = feed ?? SourceOf(finding.Id).Name, Url = ReportTarget.AdvisoryUri(first).AbsoluteUri },
            References = ids.Count > 1
                ? [.. ids.Where(i => i != finding.Id).Select(i => new CycloneDxReference { Id = i, Source = SourceOf(i) })]
                : null,
            Ratings = Ratings(severity, rating, feed),
            Cwes = cwes.Count > 0 ? cwes : null,
            Description = entries.Select(e => e.Finding.Summary).FirstOrDefault(s => !string.IsNullOrWhiteSpace(s))?.Trim(),
            Recommendation = remediations.Count == 1
                ? remediations[0].Remediation
                : string.Join("\n", remediations.Select(r => $"{r.Name} {r.Version}: {r.Remediation}")),
            Advisories = advisories.DistinctBy(a => a.Url, StringComparer.Ordinal).ToList() is { Count: > 0 } list ? list : null,
            Published = entries.Select(e => e.Finding.Published).Where(t => t is not null).Min() is { } published ? Time(published) : null,
            Updated = entries.Select(e => e.Finding.Modified).Where(t => t is not null).Max() is { } modified ? Time(modified) : null,
            Analysis = Analysis(entries),
            Affects = [.. entries
                .GroupBy(e => refOf(e.Package), StringComparer.Ordinal)
                .Select(g => new CycloneDxAffects { Ref = g.Key, Versions = Versions(g.First()) })],
            Properties =
            [
                new(SeveritySourceProperty, SeveritySourceName(severity.Source)),
                .. entries.Select(e => new CycloneDxProperty(FixStatusProperty, $"{e.Package.Purl} {ReportTarget.StatusName(e.Finding.Status)}")).Distinct(),
            ],
        };
    }

    /// <summary>
    /// The CVSS rating (with vector, score and method) when there is one, and the rating the finding goes by when a
    /// vendor or GitHub gave it (it wins over CVSS, as in every Bulwark report).
    /// </summary>
    private static List<CycloneDxRating> Ratings(SeverityAssessment severity, SeverityRating rating, string? feed)
    {
        var ratings = new List<CycloneDxRating>();
        if (severity.CvssScore is { } score && severity.CvssVector is { } vector)
        {
            ratings.Add(new CycloneDxRating
            {
                Score = score,
                Severity = SeverityName(CvssRating.FromScore(score)),
                Method = vector.StartsWith("CVSS:3.1/", StringComparison.Ordinal) ? "CVSSv31"
                    : vector.StartsWith("CVSS:3.0/", StringComparison.Ordinal) ? "CVSSv3"
                    : vector.StartsWith("CVSS:4.0/", StringComparison.Ordinal) ? "CVSSv4"
                    : "other",
                Vector = vector,
            });
        }

        if (severity.Source is SeveritySource.Vendor or SeveritySource.GitHubAdvisory || ratings.Count == 0)
        {
            ratings.Add(new CycloneDxRating
            {
                Source = severity.Source switch
                {
                    SeveritySource.Vendor => new CycloneDxSource { Name = feed ?? "vendor" },
                    SeveritySource.GitHubAdvisory => new CycloneDxSource { Name = "GitHub Advisory Database", Url = "https://github.com/advisories" },
                    _ => null,
                },
                Severity = SeverityName(rating),
                Method = "other",
            });
        }

        return ratings;
    }

    /// <summary>
    /// CycloneDX states the analysis of the vulnerability in this image. A matched package may be exploitable whatever
    /// the distribution decided; the distribution's decision is the response (<c>update</c> when a fix exists,
    /// <c>will_not_fix</c>), and a distribution still investigating leaves the finding <c>in_triage</c>.
    /// </summary>
    private static CycloneDxVulnerabilityAnalysis Analysis(List<ScanFinding> entries)
    {
        var statuses = entries.Select(e => e.Finding.Status).Distinct().ToList();
        var responses = new List<string>();
        if (statuses.Contains(FixStatus.Fixed))
        {
            responses.Add("update");
        }

        if (statuses.Contains(FixStatus.WillNotFix))
        {
            responses.Add("will_not_fix");
        }

        var detail = string.Join("\n", entries.Select(e => $"{e.Package.Name} {e.Package.Version}: " + (e.Finding.Status switch
        {
            FixStatus.Fixed => "fixed in " + string.Join(", ", e.Finding.FixedVersions),
            FixStatus.WillNotFix => "the distribution will not fix it",
            FixStatus.FixDeferred => "the distribution deferred the fix",
            FixStatus.UnderInvestigation => "the distribution is investigating",
            _ => "no fixed version is available",
        })).Distinct(StringComparer.Ordinal));
        return new CycloneDxVulnerabilityAnalysis
        {
            State = statuses.All(s => s == FixStatus.UnderInvestigation) ? "in_triage" : "exploitable",
            Response = responses.Count > 0 ? responses : null,
            Detail = detail,
        };
    }

    /// <summary>
    /// The installed version is affected; the fixed versions are unaffected versions of the same component only when
    /// they are in its own versioning (a distribution fixes the source package, whose version a binary may not share).
    /// </summary>
    private static List<CycloneDxAffectedVersion> Versions(ScanFinding entry)
    {
        var versions = new List<CycloneDxAffectedVersion> { new() { Version = entry.Package.Version, Status = "affected" } };
        if (entry.Finding.InstalledVersion == entry.Package.Version)
        {
            versions.AddRange(entry.Finding.FixedVersions.Select(v => new CycloneDxAffectedVersion { Version = v, Status = "unaffected" }));
        }

        return versions;
    }

    /// <summary>Where an id is published: NVD for CVEs, the GitHub Advisory Database for GHSAs, osv.dev for the rest.</summary>
    private static CycloneDxSource SourceOf(string id)
    {
        var escaped = Uri.EscapeDataString(id);
        return id.StartsWith("CVE-", StringComparison.Ordinal) ? new CycloneDxSource { Name = "NVD", Url = "https://nvd.nist.gov/vuln/detail/" + escaped }
            : id.StartsWith("GHSA-", StringComparison.Ordinal) ? new CycloneDxSource { Name = "GitHub Advisory Database", Url = "https://github.com/advisories/" + escaped }
            : new CycloneDxSource { Name = "OSV", Url = "https://osv.dev/vulnerability/" + escaped };
    }

    private static string SeverityName(SeverityRating rating) => rating.ToString().ToLowerInvariant();

    private static string SeveritySourceName(SeveritySource source) => source switch
    {
        SeveritySource.Vendor => "vendor",
        SeveritySource.GitHubAdvisory => "github",
        SeveritySource.Cvss => "cvss",
        _ => "none",
    };

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
