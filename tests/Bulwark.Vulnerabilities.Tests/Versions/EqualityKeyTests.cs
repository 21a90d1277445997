using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

/// <summary>
/// <see cref="IVersionComparer.EqualityKey"/> stands in for parsing when an advisory's listed versions are searched: two
/// versions must share a key exactly when the comparer calls them equal, or a listed version is missed or a false one
/// found.
/// </summary>
public sealed class EqualityKeyTests
{
    private static readonly IVersionComparer PyPI = VersionComparers.For("PyPI");

    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("1.0", "1")]
    [InlineData("1.0.0", "1")]
    [InlineData("0", "0")]
    [InlineData("0.0", "0")]
    [InlineData("10.20.0", "10.20")]
    [InlineData("01.2", "1.2")]
    [InlineData("v1.0", "1")]
    [InlineData("0!1.0", "1")]
    [InlineData("2!1.0", "2!1")]
    [InlineData("1.0RC1", "1rc1")]
    [InlineData("1.0.0-c1", "1rc1")]
    [InlineData("1.0alpha2", "1a2")]
    [InlineData("1.0.b", "1b0")]
    [InlineData("1.0-1", "1.post1")]
    [InlineData("1.0.rev3", "1.post3")]
    [InlineData("1.0.DEV", "1.dev0")]
    [InlineData("1.0+Ubuntu-01_2", "1+ubuntu.1.2")]
    public void Pep440_KeyIsTheCanonicalForm(string version, string key) => Assert.Equal(key, PyPI.EqualityKey(version));

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.0.0rc1", "1rc1")]
    [InlineData("1.0-1", "1.0.post1")]
    [InlineData("1.0+abc", "1.0.0+ABC")]
    [InlineData("not-a-pep440-version", "NOT-A-PEP440-VERSION")]
    public void Pep440_EqualVersions_ShareAKey(string a, string b)
    {
        Assert.Equal(0, PyPI.Compare(a, b));
        Assert.Equal(PyPI.EqualityKey(a), PyPI.EqualityKey(b));
    }

    [Theory]
    [InlineData("1.0", "1.0.1")]
    [InlineData("1.0", "1.0rc1")]
    [InlineData("1.0", "1.0+0")]
    [InlineData("1.0", "1!1.0")]
    [InlineData("1.0.post1", "1.0.dev1")]
    [InlineData("1.0a1", "1.0b1")]
    [InlineData("1.0+a.b", "1.0+a")]
    [InlineData("foo", "foo-bar")]
    [InlineData("1", "~1:1")]
    public void Pep440_DifferentVersions_HaveDifferentKeys(string a, string b)
    {
        Assert.NotEqual(0, PyPI.Compare(a, b));
        Assert.NotEqual(PyPI.EqualityKey(a), PyPI.EqualityKey(b));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.0 ")]
    [InlineData("1.0\u00e9")]
    public void Pep440_NotAVersion_HasNoKey(string version) => Assert.Null(PyPI.EqualityKey(version));

    [Fact]
    public void Pep440_OverLongPlainRelease_HasNoKey() => Assert.Null(PyPI.EqualityKey(string.Join('.', Enumerable.Repeat("1", 200))));

    [Theory]
    [InlineData("npm", "1.0.0")]
    [InlineData("Debian", "1.0-1")]
    [InlineData("Go", "1.2.3")]
    public void EcosystemsWithoutACanonicalForm_HaveNoKey(string ecosystem, string version) =>
        Assert.Null(VersionComparers.For(ecosystem).EqualityKey(version));

    [Theory]
    [InlineData("pypi-versions.txt")]
    [InlineData("pypi-versions-generated.txt")]
    public void Pep440_VectorLines_KeysEqualExactlyWhenTheLineSaysEqual(string file)
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var vector in VersionVectors.Read(file))
        {
            count++;
            var same = PyPI.EqualityKey(vector.Left) == PyPI.EqualityKey(vector.Right);
            if (same != (vector.Expected == 0))
            {
                failures.Add($"{vector}: keys '{PyPI.EqualityKey(vector.Left)}' and '{PyPI.EqualityKey(vector.Right)}'");
            }
        }

        Assert.True(count > 0, "no vector read");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    /// <summary>
    /// Every version the shared PyPI advisories list or name in an event (the strings keys replace parsing for), sorted
    /// by the comparer: neighbours share a key exactly when they compare equal, and every key is its own key.
    /// </summary>
    [Fact]
    public async Task Pep440_SharedAdvisoryVersions_KeysAgreeWithTheOrder()
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        var limits = new AdvisoryImportOptions { DownloadDirectory = Path.GetTempPath() };
        await foreach (var entry in OsvArchiveReader.ReadAsync(SharedData.Osv("PyPI"), limits.ArchiveLimits, limits.OsvLimits, CancellationToken.None))
        {
            foreach (var affected in entry.Advisory?.Affected ?? [])
            {
                versions.UnionWith(affected.Versions);
                versions.UnionWith(affected.Ranges.SelectMany(r => r.Events).Select(e => e.Version).Where(v => v is not ("0" or "*")));
            }
        }

        // Spellings the feeds rarely use, so that equal neighbours occur.
        var all = versions.Concat(versions.Take(2000).SelectMany(v => new[] { v + ".0", "v" + v, v.ToUpperInvariant(), "0!" + v })).Where(PyPI.IsValid)
            .Distinct(StringComparer.Ordinal).ToList();
        Assert.True(versions.Count > 10_000, $"only {versions.Count} versions read");
        all.Sort(PyPI.Compare);
        var failures = new List<string>();
        for (var i = 0; i + 1 < all.Count; i++)
        {
            var equal = PyPI.Compare(all[i], all[i + 1]) == 0;
            if (equal != (PyPI.EqualityKey(all[i]) == PyPI.EqualityKey(all[i + 1])))
            {
                failures.Add($"{all[i]} / {all[i + 1]}: compare {(equal ? "equal" : "different")}, keys '{PyPI.EqualityKey(all[i])}' / '{PyPI.EqualityKey(all[i + 1])}'");
            }
        }

        foreach (var version in all)
        {
            var key = PyPI.EqualityKey(version)!;
            if (!key.StartsWith('~') && (PyPI.EqualityKey(key) != key || PyPI.Compare(key, version) != 0))
            {
                failures.Add($"{version}: key '{key}' is not its own key or not equal to the version");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }
}
