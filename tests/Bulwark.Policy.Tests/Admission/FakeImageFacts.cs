using Bulwark.Oci;
using Bulwark.Policy.Admission;

namespace Bulwark.Policy.Tests.Admission;

/// <summary>Image facts from a table keyed by <c>repository:tag</c> or <c>repository@digest</c>; anything else is not found.</summary>
internal sealed class FakeImageFacts : IAdmissionImageFacts
{
    public Dictionary<string, AdmissionImageFacts> Known { get; } = new(StringComparer.Ordinal);

    public List<ImageReference> Asked { get; } = [];

    public Digest Add(string repositoryAndTag, ImageDecision decision, bool? verified = true, params string[] reasons)
    {
        var digest = Digest.Compute(System.Text.Encoding.UTF8.GetBytes(repositoryAndTag));
        var facts = new AdmissionImageFacts(digest, decision, reasons, verified);
        Known[repositoryAndTag] = facts;
        Known[repositoryAndTag.Split(':')[0] + "@" + digest] = facts;
        return digest;
    }

    public ValueTask<AdmissionImageFacts> GetAsync(ImageReference image, CancellationToken cancellationToken)
    {
        Asked.Add(image);
        var key = image.Digest is { } d ? $"{image.Repository}@{d}" : $"{image.Repository}:{image.Tag}";
        return ValueTask.FromResult(Known.TryGetValue(key, out var facts) ? facts : AdmissionImageFacts.NotFound);
    }
}
