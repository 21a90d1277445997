using Bulwark.Registry.GarbageCollection;
using Bulwark.Registry.Http;
using Bulwark.Registry.Manifests;
using Bulwark.Registry.Metadata;
using Bulwark.Registry.Storage;
using Bulwark.Registry.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bulwark.Registry;

/// <summary>Registers the registry engine.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <param name="configureDatabase">Selects the metadata database provider (SQLite, PostgreSQL).</param>
    public static IServiceCollection AddBulwarkRegistry(this IServiceCollection services, RegistryOptions options,
        Action<DbContextOptionsBuilder> configureDatabase)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddPooledDbContextFactory<RegistryDbContext>(configureDatabase);
        services.TryAddSingleton<IBlobStore, FileSystemBlobStore>();
        services.TryAddSingleton<IRegistryAccessPolicy, LoopbackOpenAccessPolicy>();
        services.AddMetrics();
        services.AddSingleton<RegistryMetrics>();
        services.AddSingleton<RepositoryMetadata>();
        services.AddSingleton<BlobUploadService>();
        services.AddSingleton<ManifestService>();
        services.AddSingleton<GarbageCollector>();
        return services;
    }
}
