using Bulwark.Oci;

namespace Bulwark.Policy.Admission;

/// <summary>
/// The seam between the admission decision and what the registry knows about images: resolution (tag → digest), the
/// scan/policy decision and the signature state. The server implements it from its registry metadata and scan results;
/// it is asked only about images whose registry host is one of <see cref="AdmissionOptions.RegistryHosts"/>.
/// </summary>
public interface IAdmissionImageFacts
{
    /// <summary>Facts about <paramref name="image"/> (its <see cref="ImageReference.Repository"/> and tag or digest).</summary>
    ValueTask<AdmissionImageFacts> GetAsync(ImageReference image, CancellationToken cancellationToken);
}
