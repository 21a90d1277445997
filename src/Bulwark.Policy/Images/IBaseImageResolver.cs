using Bulwark.Oci;

namespace Bulwark.Policy.Images;

/// <summary>
/// Looks up a sanctioned base image named by a policy (the CLI from a registry, the server from its storage), so that
/// <c>approvedBaseImages</c> can compare an image's first layers with the base image's.
/// </summary>
public interface IBaseImageResolver
{
    /// <summary>The base image's layers, or null when it does not exist (or is not readable to the caller).</summary>
    /// <exception cref="BaseImageResolutionException">The lookup failed (registry unreachable, malformed manifest).</exception>
    ValueTask<BaseImageFacts?> ResolveAsync(ImageReference reference, CancellationToken cancellationToken);
}
