using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bulwark.Server.Configuration;

/// <summary>
/// Lets SQLite itself wait for the write lock (its busy handler sleeps in milliseconds) instead of failing
/// with SQLITE_BUSY, which Microsoft.Data.Sqlite would retry only after sleeping 150 ms; concurrent pushes
/// then queue briefly rather than stall.
/// </summary>
public sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 60000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
