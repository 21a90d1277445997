using Bulwark.Oci;
using Bulwark.Registry.Metadata;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Bulwark.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Server.Tests.Scanning;

/// <summary>The scan queue on SQLite and PostgreSQL: concurrent claims never share a job, leases expire, retries back off.</summary>
public sealed class ScanJobStoreTests : IAsyncLifetime
{
    private readonly string _name = Guid.NewGuid().ToString("N");
    private ServiceProvider? _provider;
    private string? _postgresDatabase;

    private string Directory => Path.Combine(Path.GetTempPath(), "bulwark-scan-queue-tests", _name);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            await TestPostgres.DropAsync(_postgresDatabase);
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private async Task<(ScanJobStore Store, FakeTimeProvider Time, ServerOptions Options)> CreateAsync(string database)
    {
        var services = new ServiceCollection();
        services.AddPooledDbContextFactory<ScanDbContext>(db =>
        {
            if (database == "postgres")
            {
                _postgresDatabase = "bulwark_test_scan_" + _name;
                db.UseNpgsql(TestPostgres.ConnectionString(_postgresDatabase));
            }
            else
            {
                System.IO.Directory.CreateDirectory(Directory);
                db.UseSqlite($"Data Source={Path.Combine(Directory, "scan.db")};Default Timeout=30");
            }
        });
        _provider = services.BuildServiceProvider();
        var factory = _provider.GetRequiredService<IDbContextFactory<ScanDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await DatabaseSchema.EnsureCreatedAsync(db, ScanDbContext.Component, CancellationToken.None);
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new ServerOptions();
        options.Scanning.MaxAttempts = 3;
        return (new ScanJobStore(factory, options, time), time, options);
    }

    private static string DigestOf(int i) => Digest.Compute(BitConverter.GetBytes(i)).ToString();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ConcurrentClaims_NeverShareAJob(string database)
    {
        var (store, _, _) = await CreateAsync(database);
        for (var i = 0; i < 30; i++)
        {
            Assert.True(await store.EnqueueAsync("team/app", DigestOf(i), MediaTypes.OciManifest, force: false, CancellationToken.None));
        }

        Assert.False(await store.EnqueueAsync("team/app", DigestOf(0), MediaTypes.OciManifest, force: false, CancellationToken.None));

        var claimed = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (await store.ClaimAsync($"worker-{w}", CancellationToken.None) is { } job)
            {
                Assert.Equal(ScanStatus.Scanning, job.Status);
                Assert.Equal($"worker-{w}", job.LeaseOwner);
                claimed.Add(job.Id);
            }
        })));

        Assert.Equal(30, claimed.Count);
        Assert.Equal(30, claimed.Distinct().Count());
        Assert.Equal(0, await store.CountPendingAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ExpiredLease_IsClaimedAgain_AndTheOldOwnerCannotComplete(string database)
    {
        var (store, time, options) = await CreateAsync(database);
        await store.EnqueueAsync("team/app", DigestOf(1), MediaTypes.OciManifest, force: false, CancellationToken.None);
        var first = (await store.ClaimAsync("dead", CancellationToken.None))!;
        Assert.Null(await store.ClaimAsync("other", CancellationToken.None));

        time.Advance(options.Scanning.LeaseDuration + TimeSpan.FromSeconds(1));
        var second = await store.ClaimAsync("other", CancellationToken.None);
        Assert.NotNull(second);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.False(await store.RenewLeaseAsync(first.Id, "dead", CancellationToken.None));
        Assert.True(await store.RenewLeaseAsync(first.Id, "other", CancellationToken.None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task FailedAttempts_BackOffExponentially_ThenFail(string database)
    {
        var (store, time, options) = await CreateAsync(database);
        options.Scanning.RetryBaseDelay = TimeSpan.FromSeconds(10);
        options.Scanning.RetryMaxDelay = TimeSpan.FromSeconds(15);
        await store.EnqueueAsync("team/app", DigestOf(2), MediaTypes.OciManifest, force: false, CancellationToken.None);

        var job = (await store.ClaimAsync("w", CancellationToken.None))!;
        Assert.Equal(ScanStatus.Pending, await store.FailAsync(job, "w", "boom 1", permanent: false, CancellationToken.None));
        Assert.Null(await store.ClaimAsync("w", CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(10));
        job = (await store.ClaimAsync("w", CancellationToken.None))!;
        Assert.Equal(2, job.Attempts);
        Assert.Equal("boom 1", job.Error);
        Assert.Equal(ScanStatus.Pending, await store.FailAsync(job, "w", "boom 2", permanent: false, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.Null(await store.ClaimAsync("w", CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        job = (await store.ClaimAsync("w", CancellationToken.None))!;
        Assert.Equal(ScanStatus.Failed, await store.FailAsync(job, "w", "boom 3", permanent: false, CancellationToken.None));
        time.Advance(TimeSpan.FromDays(1));
        Assert.Null(await store.ClaimAsync("w", CancellationToken.None));

        // A re-scan request starts over.
        Assert.True(await store.EnqueueAsync("team/app", DigestOf(2), MediaTypes.OciManifest, force: true, CancellationToken.None));
        job = (await store.ClaimAsync("w", CancellationToken.None))!;
        Assert.Equal(1, job.Attempts);
        Assert.True(job.Force);
    }
}
