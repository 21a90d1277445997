namespace Bulwark.Policy.Workloads;

/// <summary>How manifests are judged where no Namespace document in the input sets a level.</summary>
public sealed record WorkloadCheckOptions
{
    /// <summary>The level for namespaces without a <c>pod-security.kubernetes.io/enforce</c> label (default restricted).</summary>
    public PodSecurityLevel Level { get; init; } = PodSecurityLevel.Restricted;

    /// <summary>The version where no <c>enforce-version</c> label says otherwise (default latest).</summary>
    public PodSecurityVersion Version { get; init; } = PodSecurityVersion.Latest;

    public PodSecurityExemptions Exemptions { get; init; } = PodSecurityExemptions.None;

    /// <summary>The namespace of objects that name none, as kubectl with the default context would use.</summary>
    public string DefaultNamespace { get; init; } = "default";
}
