using Bulwark.Policy.Workloads;

namespace Bulwark.Policy.Admission;

/// <summary>The Pod Security level and version for one namespace (configured, since admission reviews carry no namespace labels).</summary>
public sealed record NamespacePodSecurity(PodSecurityLevel Level, PodSecurityVersion Version);
