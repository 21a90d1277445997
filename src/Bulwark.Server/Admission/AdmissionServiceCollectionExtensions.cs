using Bulwark.Policy.Admission;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Admission;

/// <summary>Registers the admission webhook: options from <c>admission:</c>, the image facts seam, the reviewer and metrics.</summary>
public static class AdmissionServiceCollectionExtensions
{
    /// <exception cref="ServerConfigurationException">The <c>admission:</c> settings are invalid.</exception>
    public static IServiceCollection AddBulwarkAdmission(this IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var admission = options.Admission.ToOptions();
        services.AddSingleton(options.Admission);
        services.AddSingleton<AdmissionMetrics>();
        // The seam: replace this registration to answer from the quarantine decisions and the image policy.
        services.AddSingleton<IAdmissionImageFacts, RegistryAdmissionImageFacts>();
        services.AddSingleton(sp => new AdmissionReviewer(admission, sp.GetRequiredService<IAdmissionImageFacts>()));
        return services;
    }
}
