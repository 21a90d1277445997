using Bulwark.Registry.Metadata;
using Bulwark.Tests.Shared;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Bulwark.Vulnerabilities.Tests.Advisories;

/// <summary>A real SQLite advisory database in a temporary directory, created the way the server creates components.</summary>
internal sealed class AdvisoryDatabase : IAsyncDisposable
{
    /// <summary>The scratch PostgreSQL database, or null on SQLite.</summary>
    private readonly string? _postgresDatabase;

    private AdvisoryDatabase(string directory, PooledDbContextFactory<AdvisoryDbContext> factory, string? postgresDatabase)
    {
        _postgresDatabase = postgresDatabase;
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

    public static async Task<AdvisoryDatabase> CreateAsync(string database = "sqlite")
    {
        var name = Guid.NewGuid().ToString("N");
        var directory = Path.Combine(Path.GetTempPath(), "bulwark-advisories-" + name);
        System.IO.Directory.CreateDirectory(directory);
        var builder = new DbContextOptionsBuilder<AdvisoryDbContext>();
        var options = (database == "postgres"
            ? builder.UseNpgsql(TestPostgres.ConnectionString("bulwark_advisories_" + name))
            : builder.UseSqlite($"Data Source={Path.Combine(directory, "advisories.db")}")).Options;
        var factory = new PooledDbContextFactory<AdvisoryDbContext>(options);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await DatabaseSchema.EnsureCreatedAsync(db, AdvisoryDbContext.Component, CancellationToken.None);
        }

        return new AdvisoryDatabase(directory, factory, database == "postgres" ? "bulwark_advisories_" + name : null);
    }

    public async Task<int> CountAsync(string source)
    {
        await using var db = await Factory.CreateDbContextAsync();
        return await db.Advisories.CountAsync(a => a.Source == source);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresDatabase is not null)
        {
            // A cancelled command's backend can still be winding down: DropAsync retries while the database is in use.
            await TestPostgres.DropAsync(_postgresDatabase);
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
