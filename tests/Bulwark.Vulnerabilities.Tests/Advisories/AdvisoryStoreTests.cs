using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Tests.Advisories;

/// <summary>The store on both databases it supports: the embedded SQLite default and PostgreSQL.</summary>
public sealed class AdvisoryStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ImportMatchAndReplace_WorkTheSameOnEveryDatabase(string database)
    {
        await using var db = await AdvisoryDatabase.CreateAsync(database);
        var importer = db.Importer();

        var result = await importer.ImportOsvAsync("osv:crates.io", SharedData.Osv("crates.io"), null, CancellationToken.None);

        Assert.Equal(1206, result.Advisories);
        var findings = (await new AdvisoryMatcher(db.Store).MatchAsync([new PackageQuery("crates.io", "smallvec", "0.6.9")], CancellationToken.None)).Findings;
        Assert.Contains(findings, f => f.Ids.Contains("RUSTSEC-2019-0009"));
        Assert.Contains(await db.Store.FindByIdAsync("CVE-2021-25900", CancellationToken.None), s => s.Advisory.Id == "RUSTSEC-2021-0003");

        // An import that fails after rows were written (here: cancelled after its first batch) rolls back.
        using var cancel = new CancellationTokenSource();
        var progress = new CancellingProgress(cancel, after: ImportStage.Importing);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => importer.ImportOsvAsync("osv:crates.io", SharedData.Osv("PyPI"), progress, cancel.Token));
        Assert.Equal(1206, await db.CountAsync("osv:crates.io"));
        Assert.Equal(1206, (await db.Store.FindSourceAsync("osv:crates.io", CancellationToken.None))!.AdvisoryCount);
        Assert.Empty(await db.Store.FindByIdAsync("PYSEC-2019-217", CancellationToken.None));
    }

    [Fact]
    public async Task TrackedImport_ReportsWhatChanged_AndNothingWhenTheSameAdvisoriesComeAgain()
    {
        await using var db = await AdvisoryDatabase.CreateAsync();
        var importer = new AdvisoryImporter(db.Store, new HttpClient(), new AdvisoryImportOptions
        {
            DownloadDirectory = Path.Combine(db.Directory, "downloads"),
            TrackChanges = true,
        });

        var first = (await importer.ImportOsvAsync("osv:crates.io", SharedData.Osv("crates.io"), null, CancellationToken.None)).Changes!;
        Assert.Equal((1206, 0, 0), (first.Added, first.Modified, first.Removed));
        Assert.Contains(("crates.io", "", "smallvec"), first.Packages!);
        Assert.All(first.Packages!, k => Assert.Equal("crates.io", k.Ecosystem));

        var again = (await importer.ImportOsvAsync("osv:crates.io", SharedData.Osv("crates.io"), null, CancellationToken.None)).Changes!;
        Assert.True(again.IsEmpty);
        Assert.Empty(again.Packages!);

        Assert.Equal(first.Packages!.Count, AdvisoryChangeSet.ChangedPackages([first, again])!.Count);
        Assert.Null(AdvisoryChangeSet.ChangedPackages([first, null]));

        // Without tracking (the CLI) no change set is computed.
        Assert.Null((await db.Importer().ImportOsvAsync("osv:crates.io", SharedData.Osv("crates.io"), null, CancellationToken.None)).Changes);
    }

    [Fact]
    public async Task Status_EmptyOrOld_IsStale()
    {
        await using var db = await AdvisoryDatabase.CreateAsync();

        var empty = await db.Store.GetStatusAsync(TimeSpan.FromDays(1), CancellationToken.None);
        Assert.True(empty.IsEmpty);
        Assert.True(empty.IsStale);

        await db.Importer().ImportOsvAsync("osv:crates.io", SharedData.Osv("crates.io"), null, CancellationToken.None);
        var fresh = await db.Store.GetStatusAsync(TimeSpan.FromDays(1), CancellationToken.None);
        Assert.False(fresh.IsEmpty);
        Assert.False(fresh.IsStale);
        Assert.True((await db.Store.GetStatusAsync(TimeSpan.Zero, CancellationToken.None)).IsStale);
    }

    private sealed class CancellingProgress(CancellationTokenSource cancel, ImportStage after) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            if (value.Stage == after)
            {
                cancel.Cancel();
            }
        }
    }
}
