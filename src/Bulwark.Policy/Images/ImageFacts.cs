using Bulwark.Oci;

namespace Bulwark.Policy.Images;

/// <summary>
/// Everything policy evaluation needs to know about one image, gathered by the caller (the CLI from a registry or a
/// local source, the server from its storage). Nothing here is trusted: signatures and attestations are verified by
/// the evaluator against the policy's keys.
/// </summary>
public sealed record ImageFacts
{
    /// <summary><c>host[:port]</c> of the registry the image is in (<c>docker.io</c> for Docker Hub); empty for a local source.</summary>
    public required string Registry { get; init; }

    public required string Repository { get; init; }

    /// <summary>The digest of the image's manifest (or index), which signatures must name; null for a local source without one.</summary>
    public Digest? Digest { get; init; }

    public string? Tag { get; init; }

    /// <summary>The image config (user, created, labels, rootfs diff_ids), when known.</summary>
    public ImageConfig? Config { get; init; }

    /// <summary>The manifest's annotations (where <c>org.opencontainers.image.base.name</c>/<c>.digest</c> usually are).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The manifest's layer digests, base layers first.</summary>
    public IReadOnlyList<Digest> LayerDigests { get; init; } = [];

    /// <summary>Signatures found: simple-signing layers of the <c>.sig</c> tag, Sigstore bundle referrers.</summary>
    public IReadOnlyList<SignedMaterial> Signatures { get; init; } = [];

    /// <summary>Attestations found: Sigstore bundles or DSSE envelopes whose in-toto statements are about the image.</summary>
    public IReadOnlyList<SignedMaterial> Attestations { get; init; } = [];

    /// <summary>The completed scan, or null when the image has not been scanned (a vulnerability or secrets check then fails).</summary>
    public ImageScanFacts? Scan { get; init; }

    /// <summary>Looks up sanctioned base images for the layer-prefix comparison; without one only annotations can match.</summary>
    public IBaseImageResolver? BaseImages { get; init; }

    /// <summary><c>org.opencontainers.image.base.name</c>/<c>.base.digest</c> from the manifest annotations, else the config labels.</summary>
    public string? Annotation(string name) =>
        Annotations.GetValueOrDefault(name) ?? Config?.Config?.Labels?.GetValueOrDefault(name);
}
