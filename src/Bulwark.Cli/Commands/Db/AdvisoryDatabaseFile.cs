using Bulwark.Registry.Metadata;
using Bulwark.Vulnerabilities.Advisories;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Bulwark.Cli.Commands.Db;

/// <summary>
/// The standalone SQLite advisory database of <c>bulwark db</c> and <c>bulwark scan</c>: <c>--db PATH</c>, else
/// <c>$XDG_CACHE_HOME/bulwark/advisories.db</c>, else <c>~/.cache/bulwark/advisories.db</c>. Partial downloads live
/// beside it in <c>downloads/</c> so that an interrupted update resumes.
/// </summary>
internal sealed class AdvisoryDatabaseFile : IAsyncDisposable
{
    private readonly PooledDbContextFactory<AdvisoryDbContext> _factory;

    private AdvisoryDatabaseFile(string path, PooledDbContextFactory<AdvisoryDbContext> factory, TimeProvider time)
    {
        Path = path;
        _factory = factory;
        Store = new AdvisoryStore(factory, time);
    }

    public string Path { get; }

    public string DownloadDirectory => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "downloads");

    public AdvisoryStore Store { get; }

    public static string DefaultPath()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache) || !System.IO.Path.IsPathRooted(cache))
        {
            cache = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }

        return System.IO.Path.Combine(cache, "bulwark", "advisories.db");
    }

    /// <summary>Opens (and with <paramref name="create"/>, creates) the database; null when it does not exist and may not be created.</summary>
    public static async Task<AdvisoryDatabaseFile?> OpenAsync(string? path, bool create, CancellationToken cancellationToken)
    {
        var full = System.IO.Path.GetFullPath(path ?? DefaultPath());
        if (!create && !File.Exists(full))
        {
            return null;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString();
        var options = new DbContextOptionsBuilder<AdvisoryDbContext>().UseSqlite(connection).Options;
        var factory = new PooledDbContextFactory<AdvisoryDbContext>(options);
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            await DatabaseSchema.EnsureCreatedAsync(db, AdvisoryDbContext.Component, cancellationToken);

            // WAL: a scan can read while an update replaces a source.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL", cancellationToken);
        }

        return new AdvisoryDatabaseFile(full, factory, TimeProvider.System);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return _factory is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
    }
}
