using Bulwark.Policy.Admission;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Admission;

/// <summary>Registers the admission webhook: options from <c>admission:</c>, the image facts seam, the reviewer and metrics.</summary>
public static class AdmissionServiceCollectionExtensions
{
    /// <exception cref="ServerConfigurationException">The <c>admission:</c> settings are invalid (every problem listed), a signature key file included.</exception>
    public static IServiceCollection AddBulwarkAdmission(this IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var admission = options.Admission.ToOptions();
        services.AddSingleton(options.Admission);
        services.AddSingleton(admission);
        services.AddSingleton<AdmissionMetrics>();
        // Resolution, the stored decision and signatures from this registry (needs AddBulwarkPolicy's SignedMaterialCollector).
        services.AddSingleton<IAdmissionImageFacts, RegistryAdmissionImageFacts>();
        services.AddSingleton(sp => new AdmissionReviewer(admission, sp.GetRequiredService<IAdmissionImageFacts>()));
        return services;
    }
}
