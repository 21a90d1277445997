using Npgsql;

namespace Bulwark.Tests.Shared;

/// <summary>
/// The PostgreSQL server of the tests that run on both databases (<c>.ci/run</c> starts it and creates the role), and
/// their scratch databases. One copy, linked into the test projects that need it.
/// </summary>
internal static class TestPostgres
{
    /// <summary>The server's connection string without a database; <c>BULWARK_TEST_POSTGRES</c> overrides it.</summary>
    public static string Server =>
        Environment.GetEnvironmentVariable("BULWARK_TEST_POSTGRES") ?? "Host=127.0.0.1;Username=bulwark;Password=bulwark";

    /// <summary>The connection string of <paramref name="database"/> on <see cref="Server"/>.</summary>
    public static string ConnectionString(string database) => $"{Server};Database={database}";

    /// <summary>Creates the empty database <paramref name="database"/>.</summary>
    public static Task CreateAsync(string database) => ExecuteAsync($"CREATE DATABASE \"{database}\"");

    /// <summary>
    /// Drops <paramref name="database"/> if it exists, after closing this process's pooled connections. A plain
    /// <c>DROP DATABASE</c>, not <c>WITH (FORCE)</c>: FORCE must be allowed to signal every other backend on the
    /// database, and the autovacuum worker a fresh database often has is one the test role may not signal (42501,
    /// "member of pg_signal_backend"), whereas a plain DROP ends that worker itself. A backend of ours still winding
    /// down (55006, "being accessed by other users") gets a few more tries.
    /// </summary>
    public static async Task DropAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\"");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 10)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
