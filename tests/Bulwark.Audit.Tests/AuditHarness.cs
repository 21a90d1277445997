using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Records;
using Bulwark.Audit.Retention;
using Bulwark.Audit.Storage;
using Bulwark.Audit.Verification;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Audit.Tests;

/// <summary>The audit services on a real temp directory and a real SQLite file (WAL, as the server runs it),
/// with a controllable clock. The database is <c>bulwark.db</c>, where <c>bulwark audit --data</c> looks.</summary>
public sealed class AuditHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly bool _ownsDirectory;

    private AuditHarness(string directory, bool ownsDirectory, ServiceProvider services, FakeTimeProvider time)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        _services = services;
        Time = time;
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public string DatabasePath => Path.Combine(Directory, "bulwark.db");

    public IAuditLog Log => _services.GetRequiredService<IAuditLog>();

    public AuditCheckpoints Checkpoints => _services.GetRequiredService<AuditCheckpoints>();

    public AuditVerifier Verifier => _services.GetRequiredService<AuditVerifier>();

    public AuditRetention Retention => _services.GetRequiredService<AuditRetention>();

    public AuditOptions Options => _services.GetRequiredService<AuditOptions>();

    public IDbContextFactory<AuditDbContext> Db => _services.GetRequiredService<IDbContextFactory<AuditDbContext>>();

    public static async Task<AuditHarness> CreateAsync(string? directory = null, FakeTimeProvider? time = null)
    {
        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "bulwark-audit-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        time ??= new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        var database = Path.Combine(directory, "bulwark.db");
        services.AddBulwarkAudit(new AuditOptions { DataDirectory = directory, MaxPageSize = 50 },
            db => db.UseSqlite($"Data Source={database};Default Timeout=30"), scheduleCheckpoints: false);
        var provider = services.BuildServiceProvider();
        await provider.EnsureAuditSchemaAsync(CancellationToken.None);
        var harness = new AuditHarness(directory, ownsDirectory, provider, time);
        await harness.ExecuteSqlAsync("PRAGMA journal_mode=WAL;");
        return harness;
    }

    /// <summary>Opens the same data directory again, as a restarted server (or another replica) would.</summary>
    public Task<AuditHarness> ReopenAsync() => CreateAsync(Directory, Time);

    public static AuditEvent Event(int i, string? actor = null, string action = AuditActions.RegistryPush,
        AuditOutcome outcome = AuditOutcome.Success, string? target = null) =>
        new(AuditActor.User(actor ?? "alice"), action, target ?? $"team-a/app:v{i}", outcome, "127.0.0.1", "skopeo/1.14",
            outcome == AuditOutcome.Success ? null : "not permitted",
            new Dictionary<string, string> { ["index"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>Appends <paramref name="count"/> records one after another, a second apart.</summary>
    public async Task<List<AuditRecord>> AppendManyAsync(int count)
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            records.Add(await Log.AppendAsync(Event(i), CancellationToken.None));
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        return records;
    }

    public Task<AuditVerificationResult> VerifyAsync(AuditVerificationOptions? options = null) =>
        Verifier.VerifyAsync(options ?? new AuditVerificationOptions(), CancellationToken.None);

    /// <summary>Changes the database behind the log's back, as an attacker with file access would.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Writes rows directly (a forged record, a rewritten chain).</summary>
    public async Task WriteRowsAsync(IEnumerable<AuditRecord> records)
    {
        await using var db = await Db.CreateDbContextAsync();
        foreach (var record in records)
        {
            var entity = AuditRecordMapping.ToEntity(record);
            if (await db.Records.AnyAsync(r => r.Sequence == record.Sequence))
            {
                db.Records.Update(entity);
            }
            else
            {
                db.Records.Add(entity);
            }
        }

        await db.SaveChangesAsync();
    }

    public async Task<List<AuditRecord>> AllAsync()
    {
        var records = new List<AuditRecord>();
        await foreach (var record in Log.ReadAsync(null, null, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
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
