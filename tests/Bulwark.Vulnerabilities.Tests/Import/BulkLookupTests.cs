using Bulwark.Vulnerabilities.Advisories;

namespace Bulwark.Vulnerabilities.Tests.Import;

/// <summary>
/// A re-match reads a page's advisories with one <see cref="AdvisoryStore.FindByPackagesAsync"/>: each package's list must
/// be the one <see cref="AdvisoryStore.FindByPackageAsync"/> gives (same advisories, same order), over the shared archives.
/// </summary>
public sealed class BulkLookupTests(SharedOsvDatabase shared) : IClassFixture<SharedOsvDatabase>
{
    [Fact]
    public async Task ManyPackagesAtOnce_GiveWhatEachGivesAlone()
    {
        var store = shared.Database.Store;
        var keys = await store.GetPackageKeysAsync(1_000_000, CancellationToken.None);
        Assert.NotNull(keys);
        var pypi = keys.Where(k => k.Ecosystem == "PyPI").Select(k => k.Name).Order(StringComparer.Ordinal).First(n => n.Contains('-', StringComparison.Ordinal));
        var spelled = pypi.ToUpperInvariant().Replace('-', '_');
        // Every other key (more names than one query takes), a name spelled as an inventory would (PyPI), one no advisory names, one in another release.
        List<(EcosystemName Ecosystem, string Name)> packages =
        [
            .. keys.OrderBy(k => k.Ecosystem, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal).Where((_, i) => i % 2 == 0)
                .Select(k => (new EcosystemName(k.Ecosystem, k.Release), k.Name)),
            (new EcosystemName("PyPI", ""), spelled),
            (new EcosystemName("PyPI", ""), "no-such-package-anywhere"),
            (new EcosystemName("Debian", "12"), "openssl"),
        ];
        Assert.True(packages.Count > 1000, $"only {packages.Count} packages");

        var found = await store.FindByPackagesAsync(packages, CancellationToken.None);

        Assert.Equal(packages.Count, found.Count);
        var nonEmpty = 0;
        foreach (var package in packages)
        {
            var alone = await store.FindByPackageAsync(package.Ecosystem, package.Name, CancellationToken.None);
            var together = found[package];
            Assert.Equal(alone.Select(a => (a.Source, a.Advisory.Id)), together.Select(a => (a.Source, a.Advisory.Id)));
            Assert.Equal(alone.Select(a => Convert.ToBase64String(Bulwark.Vulnerabilities.Osv.OsvWriter.Write(a.Advisory))),
                together.Select(a => Convert.ToBase64String(Bulwark.Vulnerabilities.Osv.OsvWriter.Write(a.Advisory))));
            nonEmpty += together.Count > 0 ? 1 : 0;
        }

        Assert.True(nonEmpty > 1000, $"only {nonEmpty} packages with advisories");
        Assert.Empty(found[(new EcosystemName("PyPI", ""), "no-such-package-anywhere")]);
        Assert.NotEmpty(found[(new EcosystemName("PyPI", ""), spelled)]);
    }
}
