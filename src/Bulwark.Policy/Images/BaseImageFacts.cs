using Bulwark.Oci;

namespace Bulwark.Policy.Images;

/// <summary>A sanctioned base image as it is now: its manifest digest, its layer digests and its config's <c>diff_ids</c>.</summary>
public sealed record BaseImageFacts(Digest Digest, IReadOnlyList<Digest> LayerDigests, IReadOnlyList<Digest> DiffIds);
