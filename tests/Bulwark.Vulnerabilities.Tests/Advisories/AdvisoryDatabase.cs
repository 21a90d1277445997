using Bulwark.Registry.Metadata;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Bulwark.Vulnerabilities.Tests.Advisories;

/// <summary>A real SQLite advisory database in a temporary directory, created the way the server creates components.</summary>
internal sealed class AdvisoryDatabase : IAsyncDisposable
{
    private readonly bool _postgres;

    private AdvisoryDatabase(string directory, PooledDbContextFactory<AdvisoryDbContext> factory, bool postgres)
    {
        _postgres = postgres;
        Directory = directory;
        Factory = factory;
        Store = new AdvisoryStore(factory, TimeProvider.System);
    }

    private static readonly HttpClient DefaultHttp = new();

    public string Directory { get; }

    public PooledDbContextFactory<AdvisoryDbContext> Factory { get; }

    public AdvisoryStore Store { get; }

    public AdvisoryImporter Importer(HttpClient? http = null) =>
        new(Store, http ?? DefaultHttp, new AdvisoryImportOptions { DownloadDirectory = Path.Combine(Directory, "downloads") });

    /// <summary>PostgreSQL server for the tests that run on both databases (as the registry's tests; <c>.ci/run</c> starts it).</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("BULWARK_TEST_POSTGRES") ?? "Host=127.0.0.1;Username=bulwark;Password=bulwark";

    public static async Task<AdvisoryDatabase> CreateAsync(string database = "sqlite")
    {
        var name = Guid.NewGuid().ToString("N");
        var directory = Path.Combine(Path.GetTempPath(), "bulwark-advisories-" + name);
        System.IO.Directory.CreateDirectory(directory);
        var builder = new DbContextOptionsBuilder<AdvisoryDbContext>();
        var options = (database == "postgres"
            ? builder.UseNpgsql($"{PostgresServer};Database=bulwark_advisories_{name}")
            : builder.UseSqlite($"Data Source={Path.Combine(directory, "advisories.db")}")).Options;
        var factory = new PooledDbContextFactory<AdvisoryDbContext>(options);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await DatabaseSchema.EnsureCreatedAsync(db, AdvisoryDbContext.Component, CancellationToken.None);
        }

        return new AdvisoryDatabase(directory, factory, database == "postgres");
    }

    public async Task<int> CountAsync(string source)
    {
        await using var db = await Factory.CreateDbContextAsync();
        return await db.Advisories.CountAsync(a => a.Source == source);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres)
        {
            // A cancelled command's backend can still be winding down; give DROP DATABASE a few tries.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    NpgsqlConnection.ClearAllPools();
                    await using var db = await Factory.CreateDbContextAsync();
                    await db.Database.EnsureDeletedAsync();
                    break;
                }
                catch (PostgresException) when (attempt < 5)
                {
                    await Task.Delay(500);
                }
            }
        }

        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: the temp directory is cleaned by the OS.
        }
    }
}
