using Bulwark.Policy.Images;

namespace Bulwark.Server.Policy;

/// <summary>The signatures and attestations found for one image digest, unverified (see <see cref="SignedMaterialCollector"/>).</summary>
public sealed record SignedMaterials(IReadOnlyList<SignedMaterial> Signatures, IReadOnlyList<SignedMaterial> Attestations);
