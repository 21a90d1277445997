using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bulwark.Registry.Metadata;

/// <summary>
/// Creates a component's tables on first start. Each component (registry, identity, audit…) has its own
/// <see cref="DbContext"/> in one database; EF's EnsureCreated only works for the first context to touch a
/// database, so this records which components exist in a small version table and creates the rest.
/// </summary>
public static class DatabaseSchema
{
    private const string VersionTable = "bulwark_schema";

    public static async Task EnsureCreatedAsync(DbContext context, string component, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var database = context.Database;
        var creator = database.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await creator.CreateAsync(cancellationToken).ConfigureAwait(false);
        }

        await database.ExecuteSqlRawAsync(
            $"CREATE TABLE IF NOT EXISTS {VersionTable} (component VARCHAR(64) NOT NULL PRIMARY KEY, version INTEGER NOT NULL)",
            cancellationToken).ConfigureAwait(false);

        var strategy = database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var existing = await database
                .SqlQueryRaw<int>($"SELECT version AS \"Value\" FROM {VersionTable} WHERE component = {{0}}", component)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (existing.Count == 0)
            {
                await creator.CreateTablesAsync(cancellationToken).ConfigureAwait(false);
                await database.ExecuteSqlRawAsync(
                    $"INSERT INTO {VersionTable} (component, version) VALUES ({{0}}, 1)",
                    [component],
                    cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }
}
