using System.Text.Json;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>
/// Converts the Debian Security Tracker JSON (security-tracker.debian.org/tracker/data/json:
/// <c>{source-package: {CVE: {description, releases: {codename: {status, fixed_version, urgency, nodsa_reason}}}}}</c>)
/// into one advisory per CVE with an affected entry per source package and release (ecosystem <c>Debian:12</c>…).
/// </summary>
public static class DebianTrackerReader
{
    /// <summary>The tracker's JSON is ~70 MiB today; refuse anything far beyond.</summary>
    public const long MaxDocumentBytes = 1024L * 1024 * 1024;

    public static async Task<IReadOnlyList<AdvisoryEntry>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new AdvisoryImportException("the Debian tracker document is not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new AdvisoryImportException("the Debian tracker document must be an object of source packages");
            }

            var byCve = new Dictionary<string, (string? Description, List<OsvAffected> Affected)>(StringComparer.Ordinal);
            var rejected = new List<AdvisoryEntry>();
            foreach (var package in document.RootElement.EnumerateObject())
            {
                if (package.Value.ValueKind != JsonValueKind.Object)
                {
                    rejected.Add(AdvisoryEntry.Rejected(package.Name, "package entry is not an object"));
                    continue;
                }

                foreach (var cve in package.Value.EnumerateObject())
                {
                    if (cve.Value.ValueKind != JsonValueKind.Object
                        || !cve.Value.TryGetProperty("releases", out var releases)
                        || releases.ValueKind != JsonValueKind.Object)
                    {
                        rejected.Add(AdvisoryEntry.Rejected($"{package.Name}/{cve.Name}", "no releases object"));
                        continue;
                    }

                    if (!byCve.TryGetValue(cve.Name, out var advisory))
                    {
                        advisory = (Text(cve.Value, "description"), []);
                        byCve.Add(cve.Name, advisory);
                    }

                    foreach (var release in releases.EnumerateObject())
                    {
                        if (Affected(package.Name, release) is { } affected)
                        {
                            advisory.Affected.Add(affected);
                        }
                    }
                }
            }

            var entries = new List<AdvisoryEntry>(byCve.Count + rejected.Count);
            entries.AddRange(rejected);
            foreach (var (id, advisory) in byCve)
            {
                if (advisory.Affected.Count == 0)
                {
                    continue;
                }

                entries.Add(AdvisoryEntry.Accepted(id, new OsvVulnerability
                {
                    Id = id,
                    Summary = advisory.Description,
                    Affected = advisory.Affected,
                }));
            }

            return entries;
        }
    }

    private static OsvAffected? Affected(string package, JsonProperty release)
    {
        if (release.Value.ValueKind != JsonValueKind.Object || EcosystemName.DebianRelease(release.Name) is not { } number)
        {
            // sid and experimental have no release number and no image reports them; skip.
            return null;
        }

        var status = Text(release.Value, "status");
        var fixedVersion = Text(release.Value, "fixed_version");
        var urgency = Text(release.Value, "urgency");
        if (urgency is "not yet assigned" or "")
        {
            urgency = null;
        }

        var package0 = new OsvPackage("Debian:" + number, package, null);
        switch (status)
        {
            case "resolved" or "fixed" when fixedVersion is not null and not "0":
                return new OsvAffected
                {
                    Package = package0,
                    Ranges = [new OsvRange(OsvRangeType.Ecosystem, [new(OsvEventKind.Introduced, "0"), new(OsvEventKind.Fixed, fixedVersion)])],
                    VendorSeverity = urgency,
                };
            case "open" or "undetermined":
                return new OsvAffected
                {
                    Package = package0,
                    Ranges = [new OsvRange(OsvRangeType.Ecosystem, [new(OsvEventKind.Introduced, "0")])],
                    VendorSeverity = urgency,
                    Status = status == "undetermined"
                        ? DistroStatus.UnderInvestigation
                        : Text(release.Value, "nodsa_reason") switch
                        {
                            "ignored" => DistroStatus.WillNotFix,
                            "postponed" => DistroStatus.FixDeferred,
                            _ => DistroStatus.Affected,
                        },
                };
            default:
                // "resolved" with fixed_version 0 and "not-affected": this release never shipped the flaw.
                return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
