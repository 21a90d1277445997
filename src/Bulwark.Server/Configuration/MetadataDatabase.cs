using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Configuration;

/// <summary>Selects and prepares the metadata database provider.</summary>
public static class MetadataDatabase
{
    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions database, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        switch (database.Provider.ToUpperInvariant())
        {
            case "SQLITE":
                var sqlite = new SqliteConnectionStringBuilder(database.ConnectionString ?? string.Empty);
                if (string.IsNullOrEmpty(sqlite.DataSource))
                {
                    sqlite.DataSource = Path.Combine(dataDirectory, "bulwark.db");
                }

                // Writers queue behind each other instead of failing with SQLITE_BUSY.
                sqlite.DefaultTimeout = 60;
                builder.UseSqlite(sqlite.ConnectionString).AddInterceptors(new SqliteBusyTimeoutInterceptor());
                break;
            case "POSTGRES" or "POSTGRESQL":
                if (string.IsNullOrEmpty(database.ConnectionString))
                {
                    throw new ServerConfigurationException("database.connectionString is required for PostgreSQL");
                }

                builder.UseNpgsql(database.ConnectionString);
                break;
            default:
                throw new ServerConfigurationException($"database.provider '{database.Provider}' is not supported: use sqlite or postgres");
        }
    }

    /// <summary>Provider-specific settings applied once at start.</summary>
    public static async Task PrepareAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets pulls read while a push writes; the setting persists in the file.
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(cancellationToken);
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            await connection.CloseAsync();
        }
    }
}
