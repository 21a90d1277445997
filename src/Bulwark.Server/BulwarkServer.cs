using Bulwark.Audit;
using Bulwark.Identity;
using Bulwark.Identity.Management;
using Bulwark.Identity.Passwords;
using Bulwark.Identity.Storage;
using Bulwark.Identity.Throttling;
using Bulwark.Registry;
using Bulwark.Registry.Events;
using Bulwark.Registry.Http;
using Bulwark.Registry.Metadata;
using Bulwark.Server.Admission;
using Bulwark.Server.Auditing;
using Bulwark.Server.Configuration;
using Bulwark.Server.Identity;
using Bulwark.Server.Management;
using Bulwark.Server.Operations;
using Bulwark.Server.Policy;
using Bulwark.Server.Scanning;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration.Memory;
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
        // Defaults below every other configuration source, so `Logging__LogLevel__<category>` (environment) overrides them:
        // one access-log line per request (HttpLogging); ASP.NET Core's own per-request lines (request starting and
        // finished with the full URL and query, endpoint executing and executed, result writing) and EF Core's query
        // lines only from Warning up. Five lines per request cost CPU on every pull and repeated each request's URL.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore.HttpLogging"] = "Information",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            },
        });
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
        services.AddSingleton<IRegistryAccessPolicy, IdentityRegistryAccessPolicy>();
        services.AddBulwarkRegistry(registry, db => MetadataDatabase.Configure(db, options.Database, data));
        services.AddBulwarkIdentity(IdentityOptionsFrom(options, data), db => MetadataDatabase.Configure(db, options.Database, data));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BulwarkJsonContext.Default));
        services.AddAuthentication(BulwarkAuthentication.Scheme)
            .AddScheme<AuthenticationSchemeOptions, BulwarkAuthenticationHandler>(BulwarkAuthentication.Scheme, null);
        services.AddSingleton<IAuthorizationHandler, SystemAdminRequirement>();
        services.AddAuthorizationBuilder()
            .AddPolicy(BulwarkAuthentication.SystemAdminPolicy, policy => policy
                .AddAuthenticationSchemes(BulwarkAuthentication.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new SystemAdminRequirement()))
            .AddPolicy(BulwarkAuthentication.SignedInPolicy, policy => policy
                .AddAuthenticationSchemes(BulwarkAuthentication.Scheme)
                .RequireAuthenticatedUser())
            // Fail closed: an endpoint without its own authorization metadata needs at least a signed-in caller.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(BulwarkAuthentication.Scheme).RequireAuthenticatedUser().Build());
        services.AddHostedService<RegistryMaintenanceService>();
        services.AddBulwarkAudit(new AuditOptions { DataDirectory = data }, db => MetadataDatabase.Configure(db, options.Database, data));
        services.AddBulwarkPolicy(db => MetadataDatabase.Configure(db, options.Database, data));
        services.AddBulwarkScanning(options, data, db => MetadataDatabase.Configure(db, options.Database, data));
        services.AddBulwarkAdmission(options);
        services.AddSingleton<RequestAuditor>();
        services.AddSingleton<LoginAuditor>();
        services.AddSingleton<IRegistryEventSink, RegistryAuditSink>();
        services.AddHttpLogging(logging =>
        {
            // Method, path, status and duration only: no headers (tokens) and no query (upload state).
            logging.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            logging.CombineLogs = true;
        });
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", RegistryMetrics.MeterName,
                ScanMetrics.MeterName, AdmissionMetrics.MeterName)
            .AddPrometheusExporter());
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseHttpLogging();
        app.UseMiddleware<ManagementAuditMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealth();
        // Anonymous by design: Prometheus scrapes it; it carries counts and durations, no names or content.
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        // Anonymous at the routing level: every /v2 operation is authorized by IRegistryAccessPolicy instead,
        // so that refusals carry the distribution spec's error body and Bearer challenge.
        app.MapRegistryApi().AllowAnonymous();
        app.MapAuthToken();
        app.MapManagementApi();
        app.MapScanApi();
        // Anonymous by design (see AdmissionEndpoints): kube-apiserver calls webhooks without Bulwark credentials.
        app.MapAdmission();
        app.MapImageDecisions();
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
        var identityFactory = app.Services.GetRequiredService<IDbContextFactory<IdentityDbContext>>();
        await using var identityDb = await identityFactory.CreateDbContextAsync(cancellationToken);
        await DatabaseSchema.EnsureCreatedAsync(identityDb, "identity", cancellationToken);
        await app.Services.EnsureScanningSchemaAsync(cancellationToken);
        await app.Services.EnsurePolicySchemaAsync(cancellationToken);
    }

    /// <summary>
    /// Records <c>config.change</c> when the settings differ from the last recorded ones, and stores <c>policy.file</c>
    /// when it changed. Called by <c>serve</c> as it starts — not by offline commands (<c>gc</c>, <c>audit</c>) that open
    /// the same database.
    /// </summary>
    /// <exception cref="ServerConfigurationException">The policy file is missing or not a valid policy.</exception>
    public static async Task RecordStartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        await ConfigurationAudit.RecordIfChangedAsync(app.Services.GetRequiredService<IAuditLog>(), app.Services.GetRequiredService<ServerOptions>(),
            cancellationToken);
        await app.Services.LoadPolicyFileAsync(cancellationToken);
    }

    /// <summary>
    /// On first start (no principal yet) creates the system admin <c>admin</c> with the configured initial
    /// password, or a random one that is written once to <paramref name="console"/> — never to the log.
    /// </summary>
    /// <exception cref="ServerConfigurationException">The configured initial password is too weak.</exception>
    public static async Task EnsureFirstAdminAsync(WebApplication app, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(console);
        var directory = app.Services.GetRequiredService<PrincipalDirectory>();
        if (await directory.AnyAsync(cancellationToken))
        {
            return;
        }

        var options = app.Services.GetRequiredService<ServerOptions>();
        var configured = options.Identity.InitialAdminPassword;
        if (configured is not null && PasswordPolicy.Check(FirstAdminName, configured) is { Count: > 0 } problems)
        {
            throw new ServerConfigurationException($"the initial admin password (BULWARK_ADMIN_PASSWORD) is too weak: {string.Join("; ", problems)}");
        }

        var password = configured ?? PrincipalDirectory.GeneratePassword();
        if (await directory.EnsureFirstAdminAsync(FirstAdminName, password, cancellationToken) && configured is null)
        {
            await console.WriteLineAsync($"Created the system admin '{FirstAdminName}'. Its password is shown only this once: {password}");
            await console.WriteLineAsync("Change it with: bulwark admin user set-password admin");
        }
    }

    private const string FirstAdminName = "admin";

    private static IdentityOptions IdentityOptionsFrom(ServerOptions options, string data)
    {
        var identity = options.Identity;
        return new IdentityOptions
        {
            Issuer = identity.Service,
            Service = identity.Service,
            AccessTokenLifetime = identity.AccessTokenLifetime,
            RefreshTokenLifetime = identity.RefreshTokenLifetime,
            SigningKeyPath = Path.Combine(data, "identity", "token-signing-key.pem"),
            Throttle = new LoginThrottleOptions
            {
                MaxFailuresPerAccount = identity.MaxFailedLoginsPerAccount,
                MaxFailuresPerAddress = identity.MaxFailedLoginsPerAddress,
                Window = identity.FailedLoginWindow,
            },
        };
    }

    private static void Validate(ServerOptions options, ListenAddress listen)
    {
        if (!listen.IsLoopback && !options.Tls.Enabled && !options.InsecureHttp)
        {
            // Passwords and tokens must not cross a network in clear text, unless a TLS-terminating proxy is in front.
            throw new ServerConfigurationException(
                $"refusing to listen on {options.Listen} over plain HTTP: give --tls-cert/--tls-key, or --insecure-http behind a TLS-terminating proxy");
        }

        // Fail at start, not at the first request: the provider options are only applied lazily.
        MetadataDatabase.Configure(new DbContextOptionsBuilder(), options.Database, options.Data);

        if (options.Tls.Enabled != !string.IsNullOrEmpty(options.Tls.Key))
        {
            throw new ServerConfigurationException("TLS needs both a certificate (--tls-cert) and a private key (--tls-key)");
        }
    }
}
