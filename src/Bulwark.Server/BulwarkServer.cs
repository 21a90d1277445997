using Bulwark.Audit;
using Bulwark.Registry;
using Bulwark.Registry.Http;
using Bulwark.Registry.Metadata;
using Bulwark.Server.Configuration;
using Bulwark.Server.Operations;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;

namespace Bulwark.Server;

/// <summary>Builds the Bulwark web application from <see cref="ServerOptions"/>.</summary>
public static class BulwarkServer
{
    /// <summary>Creates the application; <paramref name="configure"/> lets hosts and tests add services.</summary>
    /// <exception cref="ServerConfigurationException">The options are unsafe or inconsistent.</exception>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listen = ListenAddress.Parse(options.Listen);
        Validate(options, listen);

        var data = Path.GetFullPath(options.Data);
        Directory.CreateDirectory(data);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen.Address, listen.Port, endpoint =>
            {
                if (options.Tls.Enabled)
                {
                    endpoint.UseHttps(TlsCertificates.Load(options.Tls), https =>
                        https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
                }
            });
        });

        var registry = new RegistryOptions
        {
            DataDirectory = data,
            MaxManifestBytes = options.Registry.MaxManifestBytes,
            MaxBlobBytes = options.Registry.MaxBlobBytes,
            MaxPageSize = options.Registry.MaxPageSize,
            UploadSessionTimeout = options.Registry.UploadSessionTimeout,
            GarbageCollectionGracePeriod = options.Registry.GcGracePeriod,
            UntaggedManifestRetention = options.Registry.UntaggedManifestRetention,
        };
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddBulwarkRegistry(registry, db => MetadataDatabase.Configure(db, options.Database, data));
        services.AddHostedService<RegistryMaintenanceService>();
        services.AddBulwarkAudit(new AuditOptions { DataDirectory = data }, db => MetadataDatabase.Configure(db, options.Database, data));
        services.AddHttpLogging(logging =>
        {
            // Method, path, status and duration only: no headers (tokens) and no query (upload state).
            logging.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            logging.CombineLogs = true;
        });
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", RegistryMetrics.MeterName)
            .AddPrometheusExporter());
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseHttpLogging();
        app.MapHealth();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapRegistryApi();
        return app;
    }

    /// <summary>Creates or upgrades the metadata schema; call before the application starts serving.</summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var factory = app.Services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await MetadataDatabase.PrepareAsync(db, cancellationToken);
        await DatabaseSchema.EnsureCreatedAsync(db, "registry", cancellationToken);
        await app.Services.EnsureAuditSchemaAsync(cancellationToken);
    }

    private static void Validate(ServerOptions options, ListenAddress listen)
    {
        if (!listen.IsLoopback)
        {
            // Until authentication is configured, the registry is open; an open registry must stay on this machine.
            throw new ServerConfigurationException(
                $"refusing to listen on {options.Listen}: authentication is not configured, so the registry only binds loopback addresses");
        }

        // Fail at start, not at the first request: the provider options are only applied lazily.
        MetadataDatabase.Configure(new DbContextOptionsBuilder(), options.Database, options.Data);

        if (options.Tls.Enabled != !string.IsNullOrEmpty(options.Tls.Key))
        {
            throw new ServerConfigurationException("TLS needs both a certificate (--tls-cert) and a private key (--tls-key)");
        }
    }
}
