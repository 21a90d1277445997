using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Audit;
using Bulwark.Audit.Records;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Auditing;

/// <summary>
/// Records <c>config.change</c> at start when the effective configuration differs from the one the last such
/// record saw. The record holds the settings (never a secret: the database connection string and the initial
/// admin password appear only as <c>set</c>/<c>unset</c>), their fingerprint, and which of them changed.
/// </summary>
public static class ConfigurationAudit
{
    public const string Target = "server";

    public static async Task<AuditRecord?> RecordIfChangedAsync(IAuditLog log, ServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var settings = Settings(options);
        var json = JsonSerializer.Serialize(settings, BulwarkJsonContext.Default.SortedDictionaryStringString);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var page = await log.QueryAsync(new AuditQuery { Action = AuditActions.ConfigChange, Target = Target, Limit = 1 }, cancellationToken)
            .ConfigureAwait(false);
        var last = page.Records.Count > 0 ? page.Records[0] : null;
        if (last?.Details is { } previous && previous.TryGetValue("fingerprint", out var lastFingerprint) && lastFingerprint == fingerprint)
        {
            return null;
        }

        var before = last?.Details is { } d && d.TryGetValue("settings", out var text) ? TryParse(text) : null;
        var changed = before is null
            ? "(first start)"
            : string.Join(',', settings.Keys.Union(before.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Where(k => !settings.TryGetValue(k, out var now) || !before.TryGetValue(k, out var then) || now != then));
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fingerprint"] = fingerprint,
            ["settings"] = json,
            ["changed"] = changed,
        };
        return await log.AppendAsync(new AuditEvent(AuditActor.System, AuditActions.ConfigChange, Target, AuditOutcome.Success, Details: details),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The effective settings, flattened; secrets only as whether they are set.</summary>
    public static SortedDictionary<string, string> Settings(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        static string F(TimeSpan? t) => t?.ToString("c", CultureInfo.InvariantCulture) ?? "none";
        static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
        static string Set(string? s) => string.IsNullOrEmpty(s) ? "unset" : "set";
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["listen"] = options.Listen,
            ["insecureHttp"] = options.InsecureHttp ? "true" : "false",
            ["tls"] = options.Tls.Enabled ? "on" : "off",
            ["database.provider"] = options.Database.Provider,
            ["database.connectionString"] = Set(options.Database.ConnectionString),
            ["registry.maxManifestBytes"] = N(options.Registry.MaxManifestBytes),
            ["registry.maxBlobBytes"] = N(options.Registry.MaxBlobBytes),
            ["registry.maxPageSize"] = N(options.Registry.MaxPageSize),
            ["registry.uploadSessionTimeout"] = F(options.Registry.UploadSessionTimeout),
            ["registry.gcGracePeriod"] = F(options.Registry.GcGracePeriod),
            ["registry.gcInterval"] = F(options.Registry.GcInterval),
            ["registry.untaggedManifestRetention"] = F(options.Registry.UntaggedManifestRetention),
            ["identity.service"] = options.Identity.Service,
            ["identity.accessTokenLifetime"] = F(options.Identity.AccessTokenLifetime),
            ["identity.refreshTokenLifetime"] = F(options.Identity.RefreshTokenLifetime),
            ["identity.maxFailedLoginsPerAccount"] = N(options.Identity.MaxFailedLoginsPerAccount),
            ["identity.maxFailedLoginsPerAddress"] = N(options.Identity.MaxFailedLoginsPerAddress),
            ["identity.failedLoginWindow"] = F(options.Identity.FailedLoginWindow),
            ["identity.initialAdminPassword"] = Set(options.Identity.InitialAdminPassword),
            ["audit.pulls"] = options.Audit.Pulls ? "true" : "false",
            ["audit.basicLoginInterval"] = F(options.Audit.BasicLoginInterval),
            ["admission.mode"] = options.Admission.Mode,
            ["admission.level"] = $"{options.Admission.Level}:{options.Admission.Version}",
            ["admission.namespaces"] = string.Join(',', options.Admission.Namespaces.OrderBy(n => n.Key, StringComparer.Ordinal)
                .Select(n => $"{n.Key}={n.Value.Enforce ?? "default"}:{n.Value.Version ?? "default"}")),
            ["admission.exemptions"] = $"namespaces={string.Join(',', options.Admission.Exemptions.Namespaces)};"
                + $"usernames={string.Join(',', options.Admission.Exemptions.Usernames)};runtimeClasses={string.Join(',', options.Admission.Exemptions.RuntimeClasses)}",
            ["admission.allowedRegistries"] = string.Join(',', options.Admission.AllowedRegistries),
            ["admission.registryHosts"] = string.Join(',', options.Admission.RegistryHosts),
            ["admission.requireSignature"] = options.Admission.RequireSignature ? "true" : "false",
            // Key file paths only: the key material is not a setting (a changed key in the same file is not seen here).
            ["admission.signatureKeys"] = string.Join(',', options.Admission.SignatureKeys),
            ["admission.minimumSignatures"] = N(options.Admission.MinimumSignatures),
            ["admission.maxRequestBytes"] = N(options.Admission.MaxRequestBytes),
            ["admission.cacheDuration"] = F(options.Admission.CacheDuration),
            ["policy.quarantine"] = options.Policy.Quarantine ? "true" : "false",
            ["policy.reevaluateOnUpdate"] = options.Policy.ReevaluateOnUpdate ? "true" : "false",
            ["policy.file"] = options.Policy.File ?? "none",
            ["policy.registryHost"] = options.Policy.RegistryHost ?? "none",
        };
    }

    private static SortedDictionary<string, string>? TryParse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, BulwarkJsonContext.Default.SortedDictionaryStringString);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
