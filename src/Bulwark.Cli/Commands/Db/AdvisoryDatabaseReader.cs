using System.Text;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Osv;
using Microsoft.Data.Sqlite;

namespace Bulwark.Cli.Commands.Db;

/// <summary>
/// Reads the standalone advisory database of <c>bulwark scan</c> with plain SQLite commands, the same queries
/// <see cref="AdvisoryStore"/> makes through EF Core. A scan is a short process: building EF Core's model, creating the
/// schema check and compiling LINQ queries cost more CPU than the scan's lookups themselves (see benchmarks/README.md),
/// so only creating and updating the database go through EF Core (<see cref="AdvisoryDatabaseFile"/>). The table and
/// column names are those of <see cref="AdvisoryDbContext"/>'s model.
/// </summary>
internal sealed class AdvisoryDatabaseReader : IAdvisoryReader, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private AdvisoryDatabaseReader(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    /// <summary>Opens an existing database that has the advisory tables; null when the file or the tables do not exist yet.</summary>
    public static async Task<AdvisoryDatabaseReader?> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bulwark_schema'";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            command.CommandText = "SELECT count(*) FROM bulwark_schema WHERE component = $component";
            command.Parameters.AddWithValue("$component", AdvisoryDbContext.Component);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new AdvisoryDatabaseReader(connection, time);
    }

    public async Task<AdvisoryDatabaseStatus> GetStatusAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var sources = await QueryAsync(
            """SELECT "Name", "Url", "ETag", "LastModified", "ImportedAt", "AdvisoryCount", "PackageCount", "RejectedCount" FROM "advisory_sources" """,
            [],
            r => new AdvisorySource(r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
                r.GetInt32(5), r.GetInt32(6), r.GetInt32(7)),
            cancellationToken).ConfigureAwait(false);
        return AdvisoryDatabaseStatus.Of([.. sources.OrderBy(s => s.Name, StringComparer.Ordinal)], maxAge, _time.GetUtcNow());
    }

    public async Task<IReadOnlySet<EcosystemName>> GetEcosystemsAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("""SELECT DISTINCT "Ecosystem", "Release" FROM "advisory_packages" """, [],
            r => new EcosystemName(r.GetString(0), r.GetString(1)), cancellationToken).ConfigureAwait(false);
        return rows.ToHashSet();
    }

    public async Task<IReadOnlySet<(string Ecosystem, string Release, string Name)>?> GetPackageKeysAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("""SELECT DISTINCT "Ecosystem", "Release", "Name" FROM "advisory_packages" LIMIT $limit""",
            [("$limit", limit + 1L)],
            r => (r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        return rows.Count > limit ? null : rows.ToHashSet();
    }

    public async Task<IReadOnlyList<StoredAdvisory>> FindByPackageAsync(EcosystemName ecosystem, string name, CancellationToken cancellationToken)
    {
        var normalized = PackageNames.Normalize(ecosystem.Name, name);
        var rows = await QueryAsync(
            """
            SELECT "a"."Source", "a"."Document"
            FROM "advisory_packages" AS "p"
            INNER JOIN "advisories" AS "a" ON "p"."Source" = "a"."Source" AND "p"."AdvisoryId" = "a"."Id"
            WHERE "p"."Ecosystem" = $ecosystem AND "p"."Release" = $release AND "p"."Name" = $name AND NOT ("a"."Withdrawn")
            """,
            [("$ecosystem", ecosystem.Name), ("$release", ecosystem.Release), ("$name", normalized)],
            r => (Source: r.GetString(0), Document: r.GetString(1)),
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new StoredAdvisory(r.Source, OsvParser.Parse(Encoding.UTF8.GetBytes(r.Document))))];
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // One connection, one command at a time (a snapshot may be asked from several scans at once).
    private async Task<List<T>> QueryAsync<T>(string sql, IReadOnlyList<(string Name, object Value)> parameters, Func<SqliteDataReader, T> read,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (parameter, value) in parameters)
            {
                command.Parameters.AddWithValue(parameter, value);
            }

            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        finally
        {
            _gate.Release();
        }
    }
}
