using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Retention;
using Bulwark.Audit.Storage;
using Bulwark.Audit.Verification;
using Bulwark.Registry.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bulwark.Audit;

/// <summary>Registers the audit log.</summary>
public static class AuditServiceCollectionExtensions
{
    /// <param name="configureDatabase">Selects the metadata database provider (the same database as the registry's).</param>
    /// <param name="scheduleCheckpoints">Adds the hosted service that signs checkpoints every <see cref="AuditOptions.CheckpointInterval"/>.</param>
    public static IServiceCollection AddBulwarkAudit(this IServiceCollection services, AuditOptions options,
        Action<DbContextOptionsBuilder> configureDatabase, bool scheduleCheckpoints = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddPooledDbContextFactory<AuditDbContext>(configureDatabase);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditRetention>();
        if (scheduleCheckpoints)
        {
            services.AddHostedService<AuditCheckpointService>();
        }

        return services;
    }

    /// <summary>Creates the audit tables on first start.</summary>
    public static async Task EnsureAuditSchemaAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AuditDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await DatabaseSchema.EnsureCreatedAsync(db, AuditDbContext.Component, cancellationToken).ConfigureAwait(false);
    }
}
