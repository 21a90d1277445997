using Bulwark.Audit;
using Bulwark.Audit.Records;
using Bulwark.Policy.Images;
using Bulwark.Registry.Events;
using Bulwark.Registry.Http;
using Bulwark.Registry.Metadata;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Policy;

/// <summary>Registers stored policies, image decisions, their evaluation and the registry's quarantine gate.</summary>
public static class PolicyServiceCollectionExtensions
{
    /// <summary>Call before <c>AddBulwarkScanning</c>: the push sink must record <c>pending</c> before the scan is queued.</summary>
    public static IServiceCollection AddBulwarkPolicy(this IServiceCollection services, Action<DbContextOptionsBuilder> configureDatabase)
    {
        services.AddPooledDbContextFactory<PolicyDbContext>(configureDatabase);
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<ImageDecisionStore>();
        services.AddSingleton<IImageDecisions>(sp => sp.GetRequiredService<ImageDecisionStore>());
        services.AddSingleton<StoredBlobReader>();
        services.AddSingleton<SignedMaterialCollector>();
        services.AddSingleton<ImageFactsCollector>();
        services.AddSingleton<ImageDecisionEvaluator>();
        services.AddSingleton<PolicyReevaluation>();
        services.AddHostedService(sp => sp.GetRequiredService<PolicyReevaluation>());
        services.AddSingleton<IRegistryContentGate, QuarantineGate>();
        services.AddSingleton<IRegistryEventSink, PolicyRegistrySink>();
        services.AddSingleton<IScanEventSink, PolicyScanEventSink>();
        return services;
    }

    /// <summary>Creates the policy tables on first start.</summary>
    public static async Task EnsurePolicySchemaAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<PolicyDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await DatabaseSchema.EnsureCreatedAsync(db, PolicyDbContext.Component, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores <c>policy.file</c> under the document's own name when its content differs from that policy's newest version
    /// (audited as <c>policy.update</c> by the system actor).
    /// </summary>
    /// <exception cref="ServerConfigurationException">The file is missing, too large, or not a valid policy (every error listed).</exception>
    public static async Task LoadPolicyFileAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<ServerOptions>();
        if (options.Policy.File is not { Length: > 0 } file)
        {
            return;
        }

        var info = new FileInfo(file);
        if (!info.Exists)
        {
            throw new ServerConfigurationException($"policy.file '{file}' does not exist");
        }

        if (info.Length > PolicyStore.MaxDocumentBytes)
        {
            throw new ServerConfigurationException($"policy.file '{file}' is larger than {PolicyStore.MaxDocumentBytes} bytes");
        }

        var content = await File.ReadAllTextAsync(info.FullName, cancellationToken).ConfigureAwait(false);
        try
        {
            var parsed = ImagePolicyDocument.Parse(content);
            if (!parsed.Succeeded)
            {
                throw new PolicyDocumentException([.. parsed.Errors.Select(e => e.ToString())]);
            }

            var (stored, created) = await services.GetRequiredService<PolicyStore>().PutAsync(parsed.Document.Name, content, "system", cancellationToken)
                .ConfigureAwait(false);
            if (created)
            {
                await services.GetRequiredService<IAuditLog>().AppendAsync(new AuditEvent(AuditActor.System, AuditActions.PolicyUpdate,
                    $"policies/{stored.Name}", AuditOutcome.Success, Details: new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["version"] = stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["contentHash"] = "sha256:" + stored.ContentHash,
                        ["source"] = "policy.file",
                    }), cancellationToken).ConfigureAwait(false);
                services.GetRequiredService<PolicyReevaluation>().RequestAll();
            }
        }
        catch (PolicyDocumentException e)
        {
            throw new ServerConfigurationException($"policy.file '{file}' is not a valid policy:\n  {string.Join("\n  ", e.Errors)}", e);
        }
    }
}
