using System.Text.Json;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>
/// Converts an Alpine secdb document (secdb.alpinelinux.org/v3.19/main.json:
/// <c>{distroversion, packages: [{pkg: {name, secfixes: {fixed-version: ["CVE-…", …]}}}]}</c>) into one advisory
/// per CVE, ecosystem <c>Alpine:v3.19</c>, each package affected from the start up to its fixed version.
/// </summary>
public static class AlpineSecDbReader
{
    public const long MaxDocumentBytes = 256L * 1024 * 1024;

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
            throw new AdvisoryImportException("the Alpine secdb document is not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("distroversion", out var release) || release.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("packages", out var packages) || packages.ValueKind != JsonValueKind.Array)
            {
                throw new AdvisoryImportException("an Alpine secdb document needs 'distroversion' and a 'packages' array");
            }

            var ecosystem = "Alpine:" + release.GetString();
            var byCve = new Dictionary<string, List<OsvAffected>>(StringComparer.Ordinal);
            var entries = new List<AdvisoryEntry>();
            foreach (var item in packages.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("pkg", out var pkg) || pkg.ValueKind != JsonValueKind.Object
                    || !pkg.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    entries.Add(AdvisoryEntry.Rejected(ecosystem, "package without pkg.name"));
                    continue;
                }

                if (!pkg.TryGetProperty("secfixes", out var secfixes) || secfixes.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var fix in secfixes.EnumerateObject())
                {
                    // "0" lists CVEs that never affected Alpine's build of the package.
                    if (fix.Name == "0" || fix.Value.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var ids in fix.Value.EnumerateArray())
                    {
                        if (ids.ValueKind != JsonValueKind.String)
                        {
                            continue;
                        }

                        // An entry may name several ids: "CVE-2022-1234 XSA-123".
                        foreach (var id in ids.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        {
                            if (!byCve.TryGetValue(id, out var affected))
                            {
                                affected = [];
                                byCve.Add(id, affected);
                            }

                            affected.Add(new OsvAffected
                            {
                                Package = new OsvPackage(ecosystem, name.GetString()!, null),
                                Ranges = [new OsvRange(OsvRangeType.Ecosystem, [new(OsvEventKind.Introduced, "0"), new(OsvEventKind.Fixed, fix.Name)])],
                            });
                        }
                    }
                }
            }

            foreach (var (id, affected) in byCve)
            {
                entries.Add(AdvisoryEntry.Accepted(id, new OsvVulnerability { Id = id, Affected = affected }));
            }

            return entries;
        }
    }
}
