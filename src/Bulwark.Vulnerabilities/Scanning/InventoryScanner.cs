using System.Globalization;
using Bulwark.Analysis.Inventory;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>
/// Matches an image inventory against the advisory store: maps each package to its advisory ecosystem
/// (<see cref="PackageEcosystems"/>), looks the advisories up once per (ecosystem, name), evaluates them with
/// <see cref="AdvisoryMatcher"/>, and returns a <see cref="ScanResult"/> that carries the database's state and every
/// gap in coverage. The CLI's <c>bulwark scan</c> and the server's scan jobs call this same method.
/// </summary>
public sealed class InventoryScanner(IAdvisoryReader store, TimeProvider time, InventoryScannerOptions? options = null)
{
    private readonly InventoryScannerOptions _options = options ?? InventoryScannerOptions.Default;

    public Task<ScanResult> ScanAsync(ImageInventory inventory, CancellationToken cancellationToken) =>
        ScanAsync(inventory, new AdvisorySnapshot(store), cancellationToken);

    /// <summary>
    /// Scans against a snapshot of the database shared with other scans (a re-match of many stored inventories), so
    /// that each package's advisories are read and parsed once for all of them.
    /// </summary>
    public async Task<ScanResult> ScanAsync(ImageInventory inventory, AdvisorySnapshot advisories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(advisories);
        var status = await advisories.GetStatusAsync(_options.MaxDatabaseAge, cancellationToken).ConfigureAwait(false);
        var covered = await advisories.GetEcosystemsAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var warnings = new List<ScanWarning>();

        var layers = inventory.Layers.Select(l => new ScanLayer(l.Index, l.Digest, l.DiffId, l.CreatedBy, l.InBaseImage)).ToList();
        var layerByIndex = layers.ToDictionary(l => l.Index);

        // Map every package; unsupported ones are counted per reason, so one unsupported OS is one loud warning.
        var queries = new List<(Package Package, PackageQuery Query)>();
        var unsupported = new Dictionary<(ScanWarningKind, string), int>();
        foreach (var package in inventory.Packages)
        {
            if (PackageEcosystems.TryCreateQuery(package, inventory.OperatingSystem, out var query, out var reason))
            {
                queries.Add((package, query));
                continue;
            }

            var kind = PackageEcosystems.IsOperatingSystemType(package.Type)
                ? ScanWarningKind.UnsupportedOperatingSystem
                : ScanWarningKind.UnsupportedPackageType;
            unsupported[(kind, reason)] = unsupported.GetValueOrDefault((kind, reason)) + 1;
        }

        foreach (var ((kind, reason), count) in unsupported.OrderBy(u => u.Key.Item1).ThenBy(u => u.Key.Item2, StringComparer.Ordinal))
        {
            warnings.Add(new ScanWarning(kind, string.Create(CultureInfo.InvariantCulture,
                $"{count} package{(count == 1 ? "" : "s")} NOT checked for vulnerabilities: {reason}")));
        }

        // One store lookup per distinct key (the snapshot keeps them): many binary packages share a source package.
        var findings = new List<ScanFinding>();
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (package, query) in queries)
        {
            var (ecosystem, _, _) = AdvisoryMatcher.LookupKey(query);
            if (!covered.Contains(ecosystem))
            {
                missing.Add(ecosystem.ToString());
            }

            var result = await advisories.MatchAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var problem in result.Problems)
            {
                warnings.Add(new ScanWarning(ScanWarningKind.MatchProblem, $"{package.Name} {package.Version}: {problem.Message}", package.Purl, problem.AdvisoryId));
            }

            if (result.Findings.Count == 0)
            {
                continue;
            }

            var layer = package.LayerIndex is { } index ? layerByIndex.GetValueOrDefault(index) : null;
            var scanned = new ScannedPackage
            {
                Name = package.Name,
                Version = package.Version,
                Type = package.Type,
                Purl = package.Purl,
                Ecosystem = query.Ecosystem,
                SourceName = package.SourceName,
                SourceVersion = package.SourceVersion,
                FoundIn = package.FoundIn,
                LayerIndex = package.LayerIndex,
                LayerDigest = layer?.Digest ?? package.LayerDigest,
                LayerDiffId = layer?.DiffId ?? package.LayerDigest,
                InBaseImage = layer?.InBaseImage,
            };
            findings.AddRange(result.Findings.Select(f => new ScanFinding(scanned, f, RemediationFor(scanned, f))));
        }

        var database = new ScanDatabaseStatus
        {
            IsEmpty = status.IsEmpty,
            IsStale = status.IsStale,
            MaxAge = _options.MaxDatabaseAge,
            UpdatedAt = status.OldestImport,
            Age = status.OldestImport is { } updated ? now - updated : null,
            AdvisoryCount = status.Sources.Sum(s => s.AdvisoryCount),
            Sources = status.Sources,
            MissingEcosystems = status.IsEmpty ? [] : [.. missing],
        };
        warnings.InsertRange(0, DatabaseWarnings(database, queries.Count));
        warnings.AddRange(inventory.Warnings.Select(w => new ScanWarning(ScanWarningKind.Analysis, w)));

        return new ScanResult
        {
            Target = new ScanTarget
            {
                Source = inventory.Source,
                ManifestDigest = inventory.ManifestDigest,
                ConfigDigest = inventory.ConfigDigest,
                Platform = inventory.Platform is { } p ? string.Join('/', new[] { p.Os, p.Architecture, p.Variant }.Where(s => !string.IsNullOrEmpty(s))) : null,
                OperatingSystem = inventory.OperatingSystem is { } os ? OperatingSystemOf(inventory, os) : null,
                Layers = layers,
            },
            ScannedAt = now,
            Database = database,
            PackageCount = inventory.Packages.Count,
            CheckedPackageCount = queries.Count,
            Findings = [.. findings
                .OrderBy(f => PackageEcosystems.IsOperatingSystemType(f.Package.Type) ? 0 : 1)
                .ThenBy(f => f.Package.FoundIn, StringComparer.Ordinal)
                .ThenBy(f => f.Package.Name, StringComparer.Ordinal)
                .ThenBy(f => f.Package.Version, StringComparer.Ordinal)
                .ThenByDescending(f => f.Finding.Severity.Rating)
                .ThenBy(f => f.Finding.Id, StringComparer.Ordinal)],
            Warnings = warnings,
            Secrets = inventory.Secrets,
            ConfigFindings = inventory.ConfigFindings,
        };
    }

    /// <summary>
    /// The index key (ecosystem, release, normalized name) every checked package of the inventory is looked up by — the
    /// keys <see cref="IAdvisoryReader.FindByPackageAsync"/> and the advisory store's package index use. Only an advisory
    /// naming one of these keys can change the inventory's findings.
    /// </summary>
    public static IReadOnlySet<(string Ecosystem, string Release, string Name)> PackageKeys(ImageInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var keys = new HashSet<(string Ecosystem, string Release, string Name)>();
        foreach (var package in inventory.Packages)
        {
            if (PackageEcosystems.TryCreateQuery(package, inventory.OperatingSystem, out var query, out _))
            {
                var (ecosystem, name, _) = AdvisoryMatcher.LookupKey(query);
                keys.Add((ecosystem.Name, ecosystem.Release, PackageNames.Normalize(ecosystem.Name, name)));
            }
        }

        return keys;
    }

    /// <summary>
    /// The line a report shows: a package from a base image layer whose distribution has the fix is fixed by
    /// rebuilding on a newer base image (upgrading it in a later layer only hides the old copy); anything else by
    /// the matcher's upgrade.
    /// </summary>
    public static string RemediationFor(ScannedPackage package, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(finding);
        if (package.InBaseImage == true && PackageEcosystems.IsOperatingSystemType(package.Type))
        {
            return finding.Status == FixStatus.Fixed
                ? $"rebuild on a newer base image (the distribution has the fix: {finding.Remediation})"
                : $"{finding.Remediation}; the package comes from the base image";
        }

        return finding.Remediation;
    }

    private static IEnumerable<ScanWarning> DatabaseWarnings(ScanDatabaseStatus database, int checkedPackages)
    {
        if (database.IsEmpty)
        {
            yield return new ScanWarning(ScanWarningKind.DatabaseEmpty, string.Create(CultureInfo.InvariantCulture,
                $"The advisory database is EMPTY: {checkedPackages} packages were checked against no advisory, so no finding does not mean no vulnerability. Run 'bulwark db update'."));
            yield break;
        }

        if (database.IsStale)
        {
            yield return new ScanWarning(ScanWarningKind.DatabaseStale, string.Create(CultureInfo.InvariantCulture,
                $"The advisory database is STALE: last updated {database.UpdatedAt:yyyy-MM-dd HH:mm}Z, {Describe(database.Age ?? TimeSpan.Zero)} ago (allowed: {Describe(database.MaxAge)}); vulnerabilities published since then are missed. Run 'bulwark db update'."));
        }

        foreach (var ecosystem in database.MissingEcosystems)
        {
            yield return new ScanWarning(ScanWarningKind.EcosystemNotCovered,
                $"The advisory database has no advisory for {ecosystem}: packages of that ecosystem were effectively NOT checked. Import its feed with 'bulwark db update'.");
        }
    }

    /// <summary>A duration in the largest whole unit that reads naturally ("3 days", "5 hours", "12 minutes").</summary>
    public static string Describe(TimeSpan span)
    {
        static string Unit(int n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? "" : "s")}");
        return span.TotalDays >= 2 ? Unit((int)span.TotalDays, "day")
            : span.TotalHours >= 2 ? Unit((int)span.TotalHours, "hour")
            : Unit(Math.Max(0, (int)span.TotalMinutes), "minute");
    }

    private static ScanOperatingSystem OperatingSystemOf(ImageInventory inventory, OperatingSystemInfo os)
    {
        var type = inventory.Packages.FirstOrDefault(p => PackageEcosystems.IsOperatingSystemType(p.Type))?.Type
            ?? (os.Id is "alpine" or "wolfi" or "chainguard" ? PackageTypes.Apk : os.Id is "debian" or "ubuntu" ? PackageTypes.Deb : PackageTypes.Rpm);
        PackageEcosystems.TryGetOperatingSystemEcosystem(os, type, out var ecosystem, out _);
        return new ScanOperatingSystem(os.Id, os.VersionId ?? os.Codename, os.PrettyName, ecosystem);
    }
}
