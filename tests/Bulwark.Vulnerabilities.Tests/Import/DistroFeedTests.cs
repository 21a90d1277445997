using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Severity;
using Bulwark.Vulnerabilities.Tests.Advisories;

namespace Bulwark.Vulnerabilities.Tests.Import;

public sealed class DistroFeedTests : IAsyncLifetime
{
    // The shape of security-tracker.debian.org/tracker/data/json, cut down to a few real entries.
    private const string DebianTracker = """
        {
          "openssl": {
            "CVE-2023-5678": {
              "description": "Generating excessively long X9.42 DH keys or checking excessively long X9.42 DH keys or parameters may be very slow.",
              "scope": "remote",
              "releases": {
                "bookworm": {"status": "resolved", "repositories": {"bookworm": "3.0.15-1~deb12u1"}, "fixed_version": "3.0.13-1~deb12u1", "urgency": "low"},
                "bullseye": {"status": "resolved", "repositories": {"bullseye": "1.1.1w-0+deb11u1"}, "fixed_version": "1.1.1w-0+deb11u2", "urgency": "low"},
                "sid": {"status": "resolved", "repositories": {"sid": "3.3.2-1"}, "fixed_version": "3.1.4-1", "urgency": "low"}
              }
            },
            "CVE-2010-0928": {
              "description": "OpenSSL 0.9.8i on the Gaisler Research LEON3 SoC ... fault-based attack",
              "releases": {
                "bookworm": {"status": "open", "repositories": {"bookworm": "3.0.15-1~deb12u1"}, "urgency": "unimportant", "nodsa": "Minor issue", "nodsa_reason": "ignored"}
              }
            }
          },
          "glibc": {
            "CVE-2019-1010022": {
              "description": "GNU Libc current is affected by: Mitigation bypass.",
              "releases": {
                "bookworm": {"status": "open", "repositories": {"bookworm": "2.36-9+deb12u9"}, "urgency": "unimportant", "nodsa": "", "nodsa_reason": "ignored"}
              }
            },
            "CVE-2023-4911": {
              "description": "Looney Tunables",
              "releases": {
                "bookworm": {"status": "resolved", "repositories": {"bookworm": "2.36-9+deb12u9"}, "fixed_version": "2.36-9+deb12u3", "urgency": "high"},
                "bullseye": {"status": "resolved", "repositories": {"bullseye": "2.31-13+deb11u11"}, "fixed_version": "0", "urgency": "not yet assigned"}
              }
            },
            "CVE-2025-0001": {
              "description": "Still being looked at",
              "releases": {
                "bookworm": {"status": "undetermined", "repositories": {"bookworm": "2.36-9+deb12u9"}, "urgency": "not yet assigned"}
              }
            }
          }
        }
        """;

    private const string AlpineMain = """
        {
          "apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
          "archs": ["x86_64", "aarch64"],
          "reponame": "main",
          "urlprefix": "https://dl-cdn.alpinelinux.org/alpine",
          "distroversion": "v3.19",
          "packages": [
            {"pkg": {"name": "busybox", "secfixes": {"1.36.1-r16": ["CVE-2023-42363", "CVE-2023-42364", "CVE-2023-42365"], "1.35.0-r17": ["CVE-2022-30065"], "0": ["CVE-2021-42373"]}}},
            {"pkg": {"name": "openssl", "secfixes": {"3.1.4-r1": ["CVE-2023-5678"], "3.1.4-r3": ["CVE-2023-6129 XSA-999"]}}},
            {"pkg": {"name": "zlib"}}
          ]
        }
        """;

    private AdvisoryDatabase _db = null!;

    public async Task InitializeAsync() => _db = await AdvisoryDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task DebianTracker_ImportsPerRelease_AndMatchesBySourcePackage()
    {
        var result = await _db.Importer().ImportDebianTrackerAsync("debian-tracker", await WriteAsync("debian.json", DebianTracker), null, CancellationToken.None);

        Assert.Equal(5, result.Advisories);
        var libssl = new PackageQuery("Debian:12", "libssl3", "3.0.11-1~deb12u2") { SourceName = "openssl" };
        var libc = new PackageQuery("Debian:12", "libc6", "2.36-9+deb12u1") { SourceName = "glibc" };
        var matched = await new AdvisoryMatcher(_db.Store).MatchAsync([libssl, libc], CancellationToken.None);

        var dh = Assert.Single(matched.Findings, f => f.Id == "CVE-2023-5678");
        Assert.Equal(FixStatus.Fixed, dh.Status);
        Assert.Equal(["3.0.13-1~deb12u1"], dh.FixedVersions);
        Assert.Equal(SeverityRating.Low, dh.Severity.Rating);
        Assert.Equal(SeveritySource.Vendor, dh.Severity.Source);
        Assert.Contains("apt-get install --only-upgrade libssl3", dh.Remediation, StringComparison.Ordinal);

        Assert.Equal(FixStatus.WillNotFix, Assert.Single(matched.Findings, f => f.Id == "CVE-2010-0928").Status);
        Assert.Equal(FixStatus.WillNotFix, Assert.Single(matched.Findings, f => f.Id == "CVE-2019-1010022").Status);
        Assert.Equal(FixStatus.UnderInvestigation, Assert.Single(matched.Findings, f => f.Id == "CVE-2025-0001").Status);
        var looney = Assert.Single(matched.Findings, f => f.Id == "CVE-2023-4911");
        Assert.Equal(SeverityRating.High, looney.Severity.Rating);

        // bullseye's glibc was never affected (fixed_version 0), and sid has no release number: neither is stored.
        var bullseye = await new AdvisoryMatcher(_db.Store).MatchAsync(
            [new PackageQuery("Debian:11", "libc6", "2.31-13+deb11u5") { SourceName = "glibc" }], CancellationToken.None);
        Assert.Empty(bullseye.Findings);

        // The fixed version itself is clean.
        var fixedLibc = await new AdvisoryMatcher(_db.Store).MatchAsync(
            [libc with { Version = "2.36-9+deb12u3" }], CancellationToken.None);
        Assert.DoesNotContain(fixedLibc.Findings, f => f.Id == "CVE-2023-4911");
    }

    [Fact]
    public async Task AlpineSecDb_ImportsFixedVersions_AndMatchesByOrigin()
    {
        var result = await _db.Importer().ImportAlpineSecDbAsync("alpine:v3.19:main", await WriteAsync("main.json", AlpineMain), null, CancellationToken.None);

        Assert.Equal(7, result.Advisories); // "0" entries are not advisories; "CVE-2023-6129 XSA-999" is two ids
        var busybox = new PackageQuery("Alpine:3.19.1", "busybox-binsh", "1.36.1-r15") { SourceName = "busybox" };
        var matched = await new AdvisoryMatcher(_db.Store).MatchAsync([busybox], CancellationToken.None);

        Assert.Equal(["CVE-2023-42363", "CVE-2023-42364", "CVE-2023-42365"], matched.Findings.Select(f => f.Id).Order(StringComparer.Ordinal));
        Assert.All(matched.Findings, f => Assert.Equal("upgrade to 1.36.1-r16 (source package busybox): apk upgrade busybox-binsh", f.Remediation));
        Assert.Empty((await new AdvisoryMatcher(_db.Store).MatchAsync([busybox with { Version = "1.36.1-r16" }], CancellationToken.None)).Findings);
        Assert.Empty((await new AdvisoryMatcher(_db.Store).MatchAsync([busybox with { Ecosystem = "Alpine:v3.18" }], CancellationToken.None)).Findings);
    }

    [Fact]
    public async Task Reimport_ReplacesTheSourcesRows()
    {
        var path = await WriteAsync("main.json", AlpineMain);
        await _db.Importer().ImportAlpineSecDbAsync("alpine", path, null, CancellationToken.None);
        await File.WriteAllTextAsync(path, AlpineMain.Replace("\"CVE-2022-30065\"", "\"CVE-2022-99999\"", StringComparison.Ordinal));

        await _db.Importer().ImportAlpineSecDbAsync("alpine", path, null, CancellationToken.None);

        Assert.Equal(7, await _db.CountAsync("alpine"));
        Assert.Empty(await _db.Store.FindByIdAsync("CVE-2022-30065", CancellationToken.None));
        Assert.Single(await _db.Store.FindByIdAsync("CVE-2022-99999", CancellationToken.None));
    }

    [Fact]
    public async Task InvalidFeed_IsAClearError_AndKeepsTheOldData()
    {
        var path = await WriteAsync("main.json", AlpineMain);
        await _db.Importer().ImportAlpineSecDbAsync("alpine", path, null, CancellationToken.None);
        await File.WriteAllTextAsync(path, """{"distroversion": "v3.19", "packages": [""");

        var e = await Assert.ThrowsAsync<AdvisoryImportException>(() => _db.Importer().ImportAlpineSecDbAsync("alpine", path, null, CancellationToken.None));

        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
        Assert.Equal(7, await _db.CountAsync("alpine"));
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_db.Directory, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
