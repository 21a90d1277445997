using Microsoft.Data.Sqlite;

namespace Bulwark.Analysis.Packages.Rpm;

/// <summary>Reads the header blobs of an rpm SQLite database (<c>rpmdb.sqlite</c>, RHEL 9, Fedora 33+): table <c>Packages(hnum, blob)</c>.</summary>
public static class SqliteRpmDatabaseReader
{
    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    public static bool IsSqlite(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    /// <param name="path">A private copy: SQLite may create journal files next to it.</param>
    public static async Task<List<byte[]>> ReadBlobsAsync(string path, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        var blobs = new List<byte[]>();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT blob FROM Packages ORDER BY hnum";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!reader.IsDBNull(0))
                {
                    blobs.Add((byte[])reader.GetValue(0));
                }
            }
        }
        catch (SqliteException e)
        {
            throw new PackageDatabaseException($"rpm SQLite database cannot be read: {e.Message}", e);
        }

        return blobs;
    }
}
