using System.Text.Json.Serialization;

namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// The fields of a core/v1 <c>PodSpec</c> that the Pod Security Standards restrict; everything else in the object is
/// ignored, as the API server's typed decoding would ignore unknown fields.
/// </summary>
public sealed record PodSpec
{
    public bool? HostNetwork { get; init; }

    [JsonPropertyName("hostPID")]
    public bool? HostPid { get; init; }

    [JsonPropertyName("hostIPC")]
    public bool? HostIpc { get; init; }

    /// <summary>False runs the pod in a user namespace, which relaxes some restricted controls from v1.35.</summary>
    public bool? HostUsers { get; init; }

    public PodSecurityContext? SecurityContext { get; init; }

    public IReadOnlyList<Container>? InitContainers { get; init; }

    public IReadOnlyList<Container>? Containers { get; init; }

    public IReadOnlyList<Container>? EphemeralContainers { get; init; }

    public IReadOnlyList<Volume>? Volumes { get; init; }

    public PodOs? Os { get; init; }

    public string? ServiceAccountName { get; init; }

    /// <summary>Deprecated alias of <see cref="ServiceAccountName"/>, still accepted by the API server.</summary>
    public string? ServiceAccount { get; init; }

    public string? RuntimeClassName { get; init; }

    /// <summary>Init, regular then ephemeral containers: the order upstream visits them in.</summary>
    public IEnumerable<Container> AllContainers() =>
        (InitContainers ?? []).Concat(Containers ?? []).Concat(EphemeralContainers ?? []);

    /// <summary>True when <c>spec.os.name</c> is <c>windows</c>.</summary>
    [JsonIgnore]
    public bool IsWindows => Os?.Name == "windows";
}
