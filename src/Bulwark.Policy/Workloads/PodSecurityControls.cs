namespace Bulwark.Policy.Workloads;

/// <summary>Human titles of the Pod Security controls, by upstream check id, for reports.</summary>
public static class PodSecurityControls
{
    public const string DocumentationUri = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

    public static IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["allowPrivilegeEscalation"] = "Privilege escalation must be disallowed (allowPrivilegeEscalation=false)",
        ["appArmorProfile"] = "AppArmor must not be disabled or overridden beyond RuntimeDefault/Localhost",
        ["capabilities_baseline"] = "Capabilities beyond the default set must not be added",
        ["capabilities_restricted"] = "Containers must drop ALL capabilities and may only add NET_BIND_SERVICE",
        ["hostNamespaces"] = "Host network, PID and IPC namespaces must not be shared",
        ["hostPathVolumes"] = "hostPath volumes are forbidden",
        ["hostPorts"] = "Host ports are forbidden",
        ["hostProbesAndHostLifecycle"] = "Probes and lifecycle hooks must not set a host",
        ["privileged"] = "Privileged containers are forbidden",
        ["procMount"] = "The default /proc mask must be used",
        ["procMount_restricted"] = "The default /proc mask must be used, even in a user namespace",
        ["restrictedVolumes"] = "Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes",
        ["runAsNonRoot"] = "Containers must run as non-root (runAsNonRoot=true)",
        ["runAsUser"] = "Containers must not run as UID 0",
        ["seLinuxOptions"] = "Custom SELinux user or role, or a type outside the container types, is forbidden",
        ["seccompProfile_baseline"] = "Seccomp must not be Unconfined",
        ["seccompProfile_restricted"] = "Seccomp must be RuntimeDefault or Localhost",
        ["sysctls"] = "Only the safe sysctls are allowed",
        ["windowsHostProcess"] = "Windows HostProcess containers are forbidden",
    };

    /// <summary>The title of a control, or its id when unknown.</summary>
    public static string Title(string id) => Titles.TryGetValue(id, out var title) ? title : id;
}
