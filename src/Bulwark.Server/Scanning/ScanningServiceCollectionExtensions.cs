using Bulwark.Registry.Events;
using Bulwark.Registry.Metadata;
using Bulwark.Server.Configuration;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Scanning;

/// <summary>Registers scan-on-push, the worker pool, stored results, the advisory store and the scheduled update.</summary>
public static class ScanningServiceCollectionExtensions
{
    public static IServiceCollection AddBulwarkScanning(this IServiceCollection services, ServerOptions options, string dataDirectory,
        Action<DbContextOptionsBuilder> configureDatabase)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddPooledDbContextFactory<ScanDbContext>(configureDatabase);
        services.AddPooledDbContextFactory<AdvisoryDbContext>(configureDatabase);
        services.AddSingleton<AdvisoryStore>();
        services.AddHttpClient(nameof(AdvisoryImporter));
        services.AddSingleton(sp => new AdvisoryImporter(
            sp.GetRequiredService<AdvisoryStore>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AdvisoryImporter)),
            new AdvisoryImportOptions { DownloadDirectory = Path.Combine(dataDirectory, "advisories", "downloads"), TrackChanges = true }));
        services.AddSingleton<ScanMetrics>();
        services.AddSingleton<ScanJobStore>();
        services.AddSingleton<ScanResultStore>();
        services.AddSingleton<ScanReader>();
        services.AddSingleton<ImageSbomService>();
        services.AddSingleton<IImageScanner, InventoryImageScanner>();
        services.AddScoped<ImageScanService>();
        services.AddSingleton<InventoryRematcher>();
        services.AddSingleton<AdvisoryUpdater>();
        services.AddSingleton<IScanEventSink, LoggingScanEventSink>();
        services.AddSingleton<IRegistryEventSink, ScanOnPushSink>();
        services.AddHostedService<ScanWorkerService>();
        services.AddHostedService<AdvisoryUpdateService>();
        return services;
    }

    /// <summary>Creates the advisory and scanning tables on first start, and the re-match tables when missing.</summary>
    public static async Task EnsureScanningSchemaAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var advisories = services.GetRequiredService<IDbContextFactory<AdvisoryDbContext>>();
        await using (var db = await advisories.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await DatabaseSchema.EnsureCreatedAsync(db, AdvisoryDbContext.Component, cancellationToken).ConfigureAwait(false);
        }

        var scans = services.GetRequiredService<IDbContextFactory<ScanDbContext>>();
        await using (var db = await scans.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await DatabaseSchema.EnsureCreatedAsync(db, ScanDbContext.Component, cancellationToken).ConfigureAwait(false);

            // The re-match tables came after the component's first release: created here for existing databases too.
            foreach (var statement in ScanDbContext.RematchTables(db.Database.IsSqlite()))
            {
                await db.Database.ExecuteSqlRawAsync(statement, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
