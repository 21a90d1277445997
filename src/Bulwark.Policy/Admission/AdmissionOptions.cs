using Bulwark.Policy.Images;
using Bulwark.Policy.Workloads;

namespace Bulwark.Policy.Admission;

/// <summary>How the admission webhook judges pods: Pod Security per namespace, exemptions, image rules and mode.</summary>
public sealed record AdmissionOptions
{
    /// <summary>Largest AdmissionReview body accepted (default 3 MiB, kube-apiserver's own request limit).</summary>
    public const int DefaultMaxRequestBytes = 3 * 1024 * 1024;

    public AdmissionMode Mode { get; init; } = AdmissionMode.Enforce;

    /// <summary>Level for namespaces not in <see cref="Namespaces"/> (default restricted).</summary>
    public PodSecurityLevel Level { get; init; } = PodSecurityLevel.Restricted;

    /// <summary>Version of the standards for namespaces not in <see cref="Namespaces"/> (default latest).</summary>
    public PodSecurityVersion Version { get; init; } = PodSecurityVersion.Latest;

    /// <summary>Level and version per namespace, as the <c>pod-security.kubernetes.io/enforce[-version]</c> labels would set them.</summary>
    public IReadOnlyDictionary<string, NamespacePodSecurity> Namespaces { get; init; } = new Dictionary<string, NamespacePodSecurity>(StringComparer.Ordinal);

    /// <summary>
    /// Pod Security exemptions (upstream's shape). Usernames match the requesting user (<c>userInfo.username</c>, as upstream)
    /// or the service account the pod runs as. Image rules are not exempted: use the webhook's namespaceSelector for that.
    /// </summary>
    public PodSecurityExemptions Exemptions { get; init; } = PodSecurityExemptions.None;

    /// <summary>Registry hosts (exact <c>host[:port]</c>, case-insensitive) images may come from; empty means any registry.</summary>
    public IReadOnlyList<string> AllowedRegistries { get; init; } = [];

    /// <summary>The <c>host[:port]</c> names under which clusters pull from this Bulwark: images there must resolve, pass and (optionally) be signed.</summary>
    public IReadOnlyList<string> RegistryHosts { get; init; } = [];

    /// <summary>Whether images on this registry need a verified signature (by <see cref="SignatureKeys"/>).</summary>
    public bool RequireSignature { get; init; }

    /// <summary>
    /// The trusted keys and the minimum count of distinct keys that must have signed an image on this registry, checked
    /// by the <see cref="IAdmissionImageFacts"/> implementation with the image policy's own <c>requireSignature</c> check;
    /// null when signatures are not required.
    /// </summary>
    public SignatureRequirement? SignatureKeys { get; init; }

    public int MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;
}
