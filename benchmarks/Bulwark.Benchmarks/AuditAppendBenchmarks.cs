using BenchmarkDotNet.Attributes;
using Bulwark.Audit;
using Bulwark.Audit.Records;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Benchmarks;

/// <summary>
/// Audit appends per second on a real SQLite file in WAL mode, as the server runs it: one caller at a time
/// (each append its own transaction and fsync) and many concurrent callers (group commit shares the fsync).
/// </summary>
[MemoryDiagnoser]
public class AuditAppendBenchmarks
{
    private const int Appends = 512;

    private string _directory = string.Empty;
    private ServiceProvider? _services;
    private IAuditLog? _log;

    [Params(1, 16)]
    public int Callers { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "bulwark-audit-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var database = Path.Combine(_directory, "bulwark.db");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBulwarkAudit(new AuditOptions { DataDirectory = _directory },
            db => db.UseSqlite($"Data Source={database};Default Timeout=60"), scheduleCheckpoints: false);
        _services = services.BuildServiceProvider();
        _services.EnsureAuditSchemaAsync(CancellationToken.None).GetAwaiter().GetResult();
        using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }

        _log = _services.GetRequiredService<IAuditLog>();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _services?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task Append()
    {
        var log = _log!;
        var perCaller = Appends / Callers;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < perCaller; i++)
            {
                await log.AppendAsync(new AuditEvent(AuditActor.User($"user-{caller}"), AuditActions.RegistryPush,
                    $"team-a/app@sha256:{i:x64}", AuditOutcome.Success, "10.0.0.1", "containers/5.30 (github.com/containers/image)"),
                    CancellationToken.None);
            }
        })));
    }
}
