using System.Text;
using Bulwark.Analysis.Inventory;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Server.Scanning;

/// <summary>
/// What the re-match index records of one match of an image: the package keys it was looked up by, the ecosystems of
/// those keys, and the advisory database's state as its warnings saw it. A later update that changes none of the keys'
/// advisories, with the database in the same state for this image, would match it to exactly the stored findings and
/// warnings, so the re-match skips it.
/// </summary>
public sealed record MatchIndexEntry(IReadOnlySet<(string Ecosystem, string Release, string Name)> Packages, string Ecosystems, string DatabaseState)
{
    /// <summary>Column bounds of the index tables; an image with a longer key or ecosystem list is not indexed (re-matched every time).</summary>
    public const int MaxEcosystemLength = 64;

    public const int MaxReleaseLength = 128;

    public const int MaxNameLength = 512;

    public const int MaxStateLength = 4000;

    /// <summary>Bound on a key's UTF-8 bytes, so that the primary key fits a PostgreSQL B-tree entry (~2,700 bytes).</summary>
    public const int MaxKeyBytes = 2000;

    /// <summary>The entry for a match of <paramref name="inventory"/> that gave <paramref name="result"/>; null when it cannot be indexed.</summary>
    public static MatchIndexEntry? Of(ImageInventory inventory, ScanResult result)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(result);
        var packages = InventoryScanner.PackageKeys(inventory);
        if (packages.Any(k => k.Ecosystem.Length > MaxEcosystemLength || k.Release.Length > MaxReleaseLength || k.Name.Length > MaxNameLength
            || k.Ecosystem.Contains('\n', StringComparison.Ordinal) || k.Release.Contains('\n', StringComparison.Ordinal)
            || Encoding.UTF8.GetByteCount(k.Ecosystem) + Encoding.UTF8.GetByteCount(k.Release) + Encoding.UTF8.GetByteCount(k.Name) > MaxKeyBytes))
        {
            return null;
        }

        var ecosystems = EcosystemsOf(packages);
        var state = StateOf(result.Database.IsEmpty, result.Database.IsStale, result.Database.MissingEcosystems);
        return ecosystems.Length > MaxStateLength || state.Length > MaxStateLength ? null : new MatchIndexEntry(packages, ecosystems, state);
    }

    /// <summary>
    /// The database's state as an image's warnings depend on it: empty, stale (the message names the time), or fresh with
    /// the image's ecosystems that no advisory covers.
    /// </summary>
    public static string StateOf(bool isEmpty, bool isStale, IEnumerable<string> missingEcosystems) =>
        isEmpty ? "empty" : isStale ? "stale" : "missing:" + string.Join(',', missingEcosystems.Order(StringComparer.Ordinal));

    /// <summary>The state a fresh (neither empty nor stale) database covering <paramref name="covered"/> gives an image with these ecosystems.</summary>
    public static string FreshStateOf(string ecosystems, IReadOnlySet<string> covered)
    {
        ArgumentNullException.ThrowIfNull(ecosystems);
        ArgumentNullException.ThrowIfNull(covered);
        return StateOf(false, false, ecosystems.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(e => !covered.Contains(e)));
    }

    private static string EcosystemsOf(IEnumerable<(string Ecosystem, string Release, string Name)> packages) =>
        string.Join('\n', packages.Select(k => k.Release.Length == 0 ? k.Ecosystem : k.Ecosystem + ":" + k.Release).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));
}
