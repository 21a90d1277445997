using System.Text;
using Bulwark.Oci;
using Bulwark.Registry.GarbageCollection;
using Bulwark.Registry.Manifests;
using Bulwark.Registry.Metadata;
using Bulwark.Registry.Storage;
using Bulwark.Registry.Uploads;
using Bulwark.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Registry.Tests;

/// <summary>The registry services on a real temp directory and a real SQLite file, with a controllable clock.</summary>
public sealed class RegistryHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly bool _ownsDirectory;

    private RegistryHarness(string directory, bool ownsDirectory, string? postgresDatabase, ServiceProvider services, FakeTimeProvider time)
    {
        Directory = directory;
        _postgresDatabase = postgresDatabase;
        _ownsDirectory = ownsDirectory;
        _services = services;
        Time = time;
    }

    /// <summary>The scratch PostgreSQL database, or null on SQLite.</summary>
    private readonly string? _postgresDatabase;

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public RegistryOptions Options => _services.GetRequiredService<RegistryOptions>();

    public BlobUploadService Uploads => _services.GetRequiredService<BlobUploadService>();

    public ManifestService Manifests => _services.GetRequiredService<ManifestService>();

    public RepositoryMetadata Repositories => _services.GetRequiredService<RepositoryMetadata>();

    public GarbageCollector Collector => _services.GetRequiredService<GarbageCollector>();

    public IBlobStore Store => _services.GetRequiredService<IBlobStore>();

    public IDbContextFactory<RegistryDbContext> Db => _services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();

    public static async Task<RegistryHarness> CreateAsync(Func<RegistryOptions, RegistryOptions>? configure = null, string? directory = null,
        string database = "sqlite")
    {
        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "bulwark-registry-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var options = new RegistryOptions { DataDirectory = directory };
        options = configure?.Invoke(options) ?? options;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        var postgresDatabase = "bulwark_test_" + Path.GetFileName(directory);
        services.AddBulwarkRegistry(options, db =>
        {
            if (database == "postgres")
            {
                db.UseNpgsql(TestPostgres.ConnectionString(postgresDatabase));
            }
            else
            {
                db.UseSqlite($"Data Source={Path.Combine(directory, "registry.db")};Default Timeout=30");
            }
        });
        var provider = services.BuildServiceProvider();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync())
        {
            await DatabaseSchema.EnsureCreatedAsync(db, "registry", CancellationToken.None);
        }

        return new RegistryHarness(directory, ownsDirectory, database == "postgres" ? postgresDatabase : null, provider, time);
    }

    /// <summary>Opens the same data directory again, as a restarted server would.</summary>
    public Task<RegistryHarness> ReopenAsync() => CreateAsync(_ => Options, Directory, _postgresDatabase is null ? "sqlite" : "postgres");

    /// <summary>Pushes a blob with one request and returns its digest.</summary>
    public async Task<Digest> PushBlobAsync(string repository, byte[] content)
    {
        var digest = Digest.Compute(content);
        await Uploads.UploadAsync(repository, digest, new MemoryStream(content), content.Length, CancellationToken.None);
        return digest;
    }

    /// <summary>Pushes a config and one layer, then an image manifest referencing them under <paramref name="tag"/>.</summary>
    public async Task<StoredManifest> PushImageAsync(string repository, string tag, string layerText, string? subject = null)
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var layer = Encoding.UTF8.GetBytes(layerText);
        var configDigest = await PushBlobAsync(repository, config);
        var layerDigest = await PushBlobAsync(repository, layer);
        var subjectJson = subject is null ? string.Empty
            : $",\"subject\":{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{subject}\",\"size\":1}}";
        var manifest = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},
             "layers":[{"mediaType":"{{MediaTypes.OciLayer}}","digest":"{{layerDigest}}","size":{{layer.Length}}}]{{subjectJson}}}
            """;
        return await Manifests.PutAsync(repository, tag, Encoding.UTF8.GetBytes(manifest), MediaTypes.OciManifest, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        // The services (and their connections) go first, then the database they used.
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory && _postgresDatabase is not null)
        {
            await TestPostgres.DropAsync(_postgresDatabase);
        }

        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp root is cleaned by the OS.
        }
    }
}
