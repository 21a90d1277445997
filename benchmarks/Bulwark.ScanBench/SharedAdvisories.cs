using System.IO.Compression;
using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.ScanBench;

/// <summary>
/// What the benchmark needs from the shared OSV archives: the newest advisories by publication date (left out of the
/// database until the "update"), copies of the archives without them, and package versions the advisories name (to
/// put realistic, sometimes vulnerable, language packages into the generated inventories).
/// </summary>
internal sealed class SharedAdvisories
{
    private static readonly Dictionary<string, string> TypeOfEcosystem = new(StringComparer.Ordinal)
    {
        ["Go"] = PackageTypes.Golang,
        ["PyPI"] = PackageTypes.PyPI,
        ["crates.io"] = PackageTypes.Cargo,
    };

    private SharedAdvisories(IReadOnlyList<string> baselineZips, IReadOnlyList<PackageCandidate> candidates, int total, int withheld)
    {
        BaselineZips = baselineZips;
        Candidates = candidates;
        Total = total;
        Withheld = withheld;
    }

    /// <summary>The archives without the withheld advisories, same file names (so the same source names) in another directory.</summary>
    public IReadOnlyList<string> BaselineZips { get; }

    public IReadOnlyList<PackageCandidate> Candidates { get; }

    public int Total { get; }

    public int Withheld { get; }

    public static async Task<SharedAdvisories> PrepareAsync(IReadOnlyList<string> zips, int withhold, string directory, CancellationToken cancellationToken)
    {
        var advisories = new List<(string Zip, string Entry, DateTimeOffset Published, List<PackageCandidate> Packages)>();
        foreach (var zip in zips)
        {
            using var archive = await ZipFile.OpenReadAsync(zip, cancellationToken);
            foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
            {
                await using var stream = await entry.OpenAsync(cancellationToken);
                using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
                var root = json.RootElement;
                var published = Date(root, "published") ?? Date(root, "modified") ?? DateTimeOffset.MinValue;
                advisories.Add((zip, entry.FullName, published, [.. CandidatesOf(root)]));
            }
        }

        var withheld = advisories.OrderByDescending(a => a.Published).ThenBy(a => a.Entry, StringComparer.Ordinal).Take(withhold)
            .Select(a => (a.Zip, a.Entry)).ToHashSet();

        Directory.CreateDirectory(directory);
        var baseline = new List<string>();
        foreach (var zip in zips)
        {
            var path = Path.Combine(directory, Path.GetFileName(zip));
            using var source = await ZipFile.OpenReadAsync(zip, cancellationToken);
            await using (var output = File.Create(path))
            using (var copy = new ZipArchive(output, ZipArchiveMode.Create))
            {
                foreach (var entry in source.Entries.Where(e => !withheld.Contains((zip, e.FullName))))
                {
                    var target = copy.CreateEntry(entry.FullName, CompressionLevel.Fastest);
                    await using var from = await entry.OpenAsync(cancellationToken);
                    await using var to = await target.OpenAsync(cancellationToken);
                    await from.CopyToAsync(to, cancellationToken);
                }
            }

            baseline.Add(path);
        }

        var candidates = advisories
            .SelectMany(a => a.Packages.Select(p => p with { FromWithheld = withheld.Contains((a.Zip, a.Entry)) }))
            .Distinct()
            .ToList();
        return new SharedAdvisories(baseline, candidates, advisories.Count, withheld.Count);
    }

    private static DateTimeOffset? Date(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var date) ? date : null;

    /// <summary>Versions an advisory names for a package: listed and introduced ones (affected), fixed ones (not).</summary>
    private static IEnumerable<PackageCandidate> CandidatesOf(JsonElement root)
    {
        if (!root.TryGetProperty("affected", out var affected) || affected.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var entry in affected.EnumerateArray())
        {
            if (!entry.TryGetProperty("package", out var package)
                || package.GetProperty("ecosystem").GetString() is not { } ecosystem
                || !TypeOfEcosystem.TryGetValue(ecosystem, out var type)
                || package.GetProperty("name").GetString() is not { } name
                || name == "toolchain")
            {
                continue;
            }

            if (entry.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array)
            {
                foreach (var version in versions.EnumerateArray().Take(3))
                {
                    yield return Candidate(type, name, version.GetString(), true);
                }
            }

            if (!entry.TryGetProperty("ranges", out var ranges) || ranges.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var range in ranges.EnumerateArray())
            {
                if (range.GetProperty("type").GetString() == "GIT" || !range.TryGetProperty("events", out var events))
                {
                    continue;
                }

                foreach (var e in events.EnumerateArray())
                {
                    if (e.TryGetProperty("introduced", out var introduced) && introduced.GetString() is { } i && i != "0")
                    {
                        yield return Candidate(type, name, i, true);
                    }
                    else if (e.TryGetProperty("fixed", out var fixedVersion))
                    {
                        yield return Candidate(type, name, fixedVersion.GetString(), false);
                    }
                }
            }
        }
    }

    private static PackageCandidate Candidate(string type, string name, string? version, bool affected)
    {
        version ??= "0";
        // Go binaries record module versions with a v and the toolchain as go1.x.y; vulndb writes neither.
        if (type == PackageTypes.Golang)
        {
            version = name == "stdlib" ? "go" + version : "v" + version;
        }

        return new PackageCandidate(type, name, version, affected, false);
    }
}

/// <summary>A language package version named by an advisory: affected (listed or introduced) or a fixed version.</summary>
internal sealed record PackageCandidate(string Type, string Name, string Version, bool Affected, bool FromWithheld);
