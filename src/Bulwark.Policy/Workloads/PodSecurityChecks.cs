using System.Globalization;
using Bulwark.Policy.Kubernetes;

namespace Bulwark.Policy.Workloads;

/// <summary>
/// Every control of the baseline and restricted Pod Security Standards, with the Kubernetes version each version of a
/// control starts at, as kubernetes/pod-security-admission (policy/check_*.go) defines them. Reasons and details use
/// upstream's wording so that a denial reads the same as the API server's.
/// </summary>
internal static class PodSecurityChecks
{
    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";
    private const string SeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    private const string SeccompContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    // https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline ("Capabilities").
    private static readonly HashSet<string> BaselineCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP",
        "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    private static readonly HashSet<string> SeLinuxTypes1_0 = new(StringComparer.Ordinal) { "", "container_t", "container_init_t", "container_kvm_t" };
    private static readonly HashSet<string> SeLinuxTypes1_31 = new(SeLinuxTypes1_0, StringComparer.Ordinal) { "container_engine_t" };

    // The safe sysctl set grows over time: v1.27, v1.29, v1.32 and v1.37 each added names.
    private static readonly HashSet<string> Sysctls1_0 = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    };

    private static readonly HashSet<string> Sysctls1_27 = new(Sysctls1_0, StringComparer.Ordinal) { "net.ipv4.ip_local_reserved_ports" };

    private static readonly HashSet<string> Sysctls1_29 = new(Sysctls1_27, StringComparer.Ordinal)
    {
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    };

    private static readonly HashSet<string> Sysctls1_32 = new(Sysctls1_29, StringComparer.Ordinal) { "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem" };

    private static readonly HashSet<string> Sysctls1_37 = new(Sysctls1_32, StringComparer.Ordinal)
    {
        "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat",
    };

    private static readonly string[] RestrictedVolumeAllowed =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"];

    // In the order upstream names the first one a volume sets.
    private static readonly string[] RestrictedVolumeForbidden =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume",
        "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
        "portworxVolume", "scaleIO", "storageos",
    ];

    /// <summary>All controls; the evaluator orders them by level, then id.</summary>
    public static IReadOnlyList<PodSecurityCheck> All { get; } =
    [
        new("allowPrivilegeEscalation", PodSecurityLevel.Restricted, [new(8, AllowPrivilegeEscalation), new(25, LinuxOnly(AllowPrivilegeEscalation))]),
        new("appArmorProfile", PodSecurityLevel.Baseline, [new(0, AppArmorProfile)]),
        new("capabilities_baseline", PodSecurityLevel.Baseline, [new(0, CapabilitiesBaseline)]),
        new("capabilities_restricted", PodSecurityLevel.Restricted,
            [new(22, CapabilitiesRestricted, ["capabilities_baseline"]), new(25, LinuxOnly(CapabilitiesRestricted), ["capabilities_baseline"])]),
        new("hostNamespaces", PodSecurityLevel.Baseline, [new(0, HostNamespaces)]),
        new("hostPathVolumes", PodSecurityLevel.Baseline, [new(0, HostPathVolumes)]),
        new("hostPorts", PodSecurityLevel.Baseline, [new(0, HostPorts)]),
        new("hostProbesAndHostLifecycle", PodSecurityLevel.Baseline, [new(34, HostProbesAndHostLifecycle)]),
        new("privileged", PodSecurityLevel.Baseline, [new(0, Privileged)]),
        new("procMount", PodSecurityLevel.Baseline, [new(0, ProcMount), new(35, UnlessUserNamespace(ProcMount))]),
        new("procMount_restricted", PodSecurityLevel.Restricted, [new(35, ProcMount, ["procMount"])]),
        new("restrictedVolumes", PodSecurityLevel.Restricted, [new(0, RestrictedVolumes, ["hostPathVolumes"])]),
        new("runAsNonRoot", PodSecurityLevel.Restricted, [new(0, RunAsNonRoot), new(35, UnlessUserNamespace(RunAsNonRoot))]),
        new("runAsUser", PodSecurityLevel.Restricted, [new(23, RunAsUser), new(35, UnlessUserNamespace(RunAsUser))]),
        new("seLinuxOptions", PodSecurityLevel.Baseline,
            [new(0, (m, s) => SeLinuxOptions(s, SeLinuxTypes1_0)), new(31, (m, s) => SeLinuxOptions(s, SeLinuxTypes1_31))]),
        new("seccompProfile_baseline", PodSecurityLevel.Baseline, [new(0, SeccompAnnotations), new(19, SeccompBaseline)]),
        new("seccompProfile_restricted", PodSecurityLevel.Restricted,
            [new(19, SeccompRestricted, ["seccompProfile_baseline"]), new(25, LinuxOnly(SeccompRestricted), ["seccompProfile_baseline"])]),
        new("sysctls", PodSecurityLevel.Baseline,
        [
            new(0, (m, s) => Sysctls(s, Sysctls1_0)), new(27, (m, s) => Sysctls(s, Sysctls1_27)), new(29, (m, s) => Sysctls(s, Sysctls1_29)),
            new(32, (m, s) => Sysctls(s, Sysctls1_32)), new(37, (m, s) => Sysctls(s, Sysctls1_37)),
        ]),
        new("windowsHostProcess", PodSecurityLevel.Baseline, [new(0, WindowsHostProcess)]),
    ];

    // From v1.25 the Linux-only restricted controls do not apply to pods with spec.os.name=windows.
    private static Func<ObjectMeta, PodSpec, CheckFailure?> LinuxOnly(Func<ObjectMeta, PodSpec, CheckFailure?> check) =>
        (meta, spec) => spec.IsWindows ? null : check(meta, spec);

    // From v1.35 a pod in a user namespace (hostUsers: false) may run as root and use an unmasked /proc.
    private static Func<ObjectMeta, PodSpec, CheckFailure?> UnlessUserNamespace(Func<ObjectMeta, PodSpec, CheckFailure?> check) =>
        (meta, spec) => spec.HostUsers == false ? null : check(meta, spec);

    private static CheckFailure? AllowPrivilegeEscalation(ObjectMeta meta, PodSpec spec)
    {
        var bad = Names(spec.AllContainers().Where(c => c.SecurityContext?.AllowPrivilegeEscalation != false));
        return bad.Count == 0 ? null : new("allowPrivilegeEscalation != false",
            $"{Containers(bad)} must set securityContext.allowPrivilegeEscalation=false", bad);
    }

    private static CheckFailure? AppArmorProfile(ObjectMeta meta, PodSpec spec)
    {
        static bool Allowed(string? type) => type is "RuntimeDefault" or "Localhost";

        var setters = new List<string>();
        var values = new SortedSet<string>(StringComparer.Ordinal);
        if (spec.SecurityContext?.AppArmorProfile is { } podProfile && !Allowed(podProfile.Type))
        {
            setters.Add("pod");
            values.Add(podProfile.Type ?? "");
        }

        var bad = new List<string>();
        foreach (var container in spec.AllContainers())
        {
            if (container.SecurityContext?.AppArmorProfile is { } profile && !Allowed(profile.Type))
            {
                bad.Add(container.Name ?? "");
                values.Add(profile.Type ?? "");
            }
        }

        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        var annotations = (meta.Annotations ?? new Dictionary<string, string?>())
            .Where(a => a.Key.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal)
                && !(string.IsNullOrEmpty(a.Value) || a.Value == "runtime/default" || a.Value.StartsWith("localhost/", StringComparison.Ordinal)))
            .Select(a => $"{a.Key}={GoQuote(a.Value ?? "")}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var valueList = values.ToList();
        if (annotations.Count > 0)
        {
            valueList.AddRange(annotations);
            setters.Add(Pluralize("annotation", "annotations", annotations.Count));
        }

        return setters.Count == 0 ? null : new(Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", valueList.Count),
            $"{string.Join(" and ", setters)} must not set AppArmor profile type to {JoinQuote(valueList)}", bad);
    }

    private static CheckFailure? CapabilitiesBaseline(ObjectMeta meta, PodSpec spec)
    {
        var bad = new List<string>();
        var added = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var container in spec.AllContainers())
        {
            var forbidden = (container.SecurityContext?.Capabilities?.Add ?? []).Select(c => c ?? "").Where(c => !BaselineCapabilities.Contains(c)).ToList();
            if (forbidden.Count > 0)
            {
                bad.Add(container.Name ?? "");
                added.UnionWith(forbidden);
            }
        }

        return bad.Count == 0 ? null : new("non-default capabilities",
            $"{Containers(bad)} must not include {JoinQuote(added)} in securityContext.capabilities.add", bad);
    }

    private static CheckFailure? CapabilitiesRestricted(ObjectMeta meta, PodSpec spec)
    {
        var missingDropAll = new List<string>();
        var addingForbidden = new List<string>();
        var forbidden = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var container in spec.AllContainers())
        {
            var capabilities = container.SecurityContext?.Capabilities;
            if (capabilities is null)
            {
                missingDropAll.Add(container.Name ?? "");
                continue;
            }

            if (!(capabilities.Drop ?? []).Contains("ALL"))
            {
                missingDropAll.Add(container.Name ?? "");
            }

            var added = (capabilities.Add ?? []).Select(c => c ?? "").Where(c => c != "NET_BIND_SERVICE").ToList();
            if (added.Count > 0)
            {
                addingForbidden.Add(container.Name ?? "");
                forbidden.UnionWith(added);
            }
        }

        var details = new List<string>();
        if (missingDropAll.Count > 0)
        {
            details.Add($"{Containers(missingDropAll)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        if (addingForbidden.Count > 0)
        {
            details.Add($"{Containers(addingForbidden)} must not include {JoinQuote(forbidden)} in securityContext.capabilities.add");
        }

        return details.Count == 0 ? null
            : new("unrestricted capabilities", string.Join("; ", details), missingDropAll.Concat(addingForbidden).Distinct(StringComparer.Ordinal).ToList());
    }

    private static CheckFailure? HostNamespaces(ObjectMeta meta, PodSpec spec)
    {
        var shared = new List<string>();
        if (spec.HostNetwork == true)
        {
            shared.Add("hostNetwork=true");
        }

        if (spec.HostPid == true)
        {
            shared.Add("hostPID=true");
        }

        if (spec.HostIpc == true)
        {
            shared.Add("hostIPC=true");
        }

        return shared.Count == 0 ? null : new("host namespaces", string.Join(", ", shared));
    }

    private static CheckFailure? HostPathVolumes(ObjectMeta meta, PodSpec spec)
    {
        var volumes = (spec.Volumes ?? []).Where(v => v.Has("hostPath")).Select(v => v.Name ?? "").ToList();
        return volumes.Count == 0 ? null : new("hostPath volumes", $"{Pluralize("volume", "volumes", volumes.Count)} {JoinQuote(volumes)}");
    }

    private static CheckFailure? HostPorts(ObjectMeta meta, PodSpec spec)
    {
        var bad = new List<string>();
        var ports = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var container in spec.AllContainers())
        {
            var used = (container.Ports ?? []).Where(p => (p.HostPort ?? 0) != 0).Select(p => p.HostPort!.Value.ToString(CultureInfo.InvariantCulture)).ToList();
            if (used.Count > 0)
            {
                bad.Add(container.Name ?? "");
                ports.UnionWith(used);
            }
        }

        return bad.Count == 0 ? null : new("hostPort",
            $"{Containers(bad)} {Pluralize("uses", "use", bad.Count)} {Pluralize("hostPort", "hostPorts", ports.Count)} {string.Join(", ", ports)}", bad);
    }

    private static CheckFailure? HostProbesAndHostLifecycle(ObjectMeta meta, PodSpec spec)
    {
        static IEnumerable<string> Hosts(Probe? probe) =>
            new[] { probe?.HttpGet?.Host, probe?.TcpSocket?.Host }.Where(h => !string.IsNullOrEmpty(h)).Select(h => h!);

        var bad = new SortedSet<string>(StringComparer.Ordinal);
        var hosts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var container in spec.AllContainers())
        {
            var used = Hosts(container.LivenessProbe).Concat(Hosts(container.ReadinessProbe)).Concat(Hosts(container.StartupProbe))
                .Concat(Hosts(container.Lifecycle?.PostStart)).Concat(Hosts(container.Lifecycle?.PreStop)).ToList();
            if (used.Count > 0)
            {
                bad.Add(container.Name ?? "");
                hosts.UnionWith(used);
            }
        }

        return bad.Count == 0 ? null : new("probe or lifecycle host",
            $"{Containers(bad)} {Pluralize("uses", "use", bad.Count)} {Pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.Count)} {JoinQuote(hosts)}",
            bad.ToList());
    }

    private static CheckFailure? Privileged(ObjectMeta meta, PodSpec spec)
    {
        var bad = Names(spec.AllContainers().Where(c => c.SecurityContext?.Privileged == true));
        return bad.Count == 0 ? null : new("privileged", $"{Containers(bad)} must not set securityContext.privileged=true", bad);
    }

    private static CheckFailure? ProcMount(ObjectMeta meta, PodSpec spec)
    {
        var bad = new List<string>();
        var types = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var container in spec.AllContainers())
        {
            if (container.SecurityContext?.ProcMount is { } procMount && procMount != "Default")
            {
                bad.Add(container.Name ?? "");
                types.Add(procMount);
            }
        }

        return bad.Count == 0 ? null : new("procMount", $"{Containers(bad)} must not set securityContext.procMount to {JoinQuote(types)}", bad);
    }

    private static CheckFailure? RestrictedVolumes(ObjectMeta meta, PodSpec spec)
    {
        var bad = new List<string>();
        var types = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var volume in spec.Volumes ?? [])
        {
            // A volume with no source is defaulted to emptyDir by the API server (SetDefaults_Volume), so it is allowed.
            var forbidden = RestrictedVolumeForbidden.FirstOrDefault(volume.Has);
            if (forbidden is null || RestrictedVolumeAllowed.Any(volume.Has))
            {
                continue;
            }

            bad.Add(volume.Name ?? "");
            types.Add(forbidden);
        }

        return bad.Count == 0 ? null : new("restricted volume types",
            $"{Pluralize("volume", "volumes", bad.Count)} {JoinQuote(bad)} {Pluralize("uses", "use", bad.Count)} "
            + $"{Pluralize("restricted volume type", "restricted volume types", types.Count)} {JoinQuote(types)}");
    }

    private static CheckFailure? RunAsNonRoot(ObjectMeta meta, PodSpec spec)
    {
        var setters = new List<string>();
        var podNonRoot = false;
        if (spec.SecurityContext?.RunAsNonRoot is { } podValue)
        {
            if (podValue)
            {
                podNonRoot = true;
            }
            else
            {
                setters.Add("pod");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var container in spec.AllContainers())
        {
            if (container.SecurityContext?.RunAsNonRoot is { } value)
            {
                if (!value)
                {
                    explicitlyBad.Add(container.Name ?? "");
                }
            }
            else if (!podNonRoot)
            {
                implicitlyBad.Add(container.Name ?? "");
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return new("runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false", explicitlyBad);
        }

        return implicitlyBad.Count == 0 ? null
            : new("runAsNonRoot != true", $"pod or {Containers(implicitlyBad)} must set securityContext.runAsNonRoot=true", implicitlyBad);
    }

    private static CheckFailure? RunAsUser(ObjectMeta meta, PodSpec spec)
    {
        var setters = new List<string>();
        if (spec.SecurityContext?.RunAsUser == 0)
        {
            setters.Add("pod");
        }

        var bad = Names(spec.AllContainers().Where(c => c.SecurityContext?.RunAsUser == 0));
        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        return setters.Count == 0 ? null : new("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0", bad);
    }

    private static CheckFailure? SeLinuxOptions(PodSpec spec, HashSet<string> allowedTypes)
    {
        var types = new SortedSet<string>(StringComparer.Ordinal);
        var setUser = false;
        var setRole = false;
        bool Valid(SeLinuxOptions options)
        {
            var valid = true;
            if (!allowedTypes.Contains(options.Type ?? ""))
            {
                valid = false;
                types.Add(options.Type ?? "");
            }

            if (!string.IsNullOrEmpty(options.User))
            {
                valid = false;
                setUser = true;
            }

            if (!string.IsNullOrEmpty(options.Role))
            {
                valid = false;
                setRole = true;
            }

            return valid;
        }

        var setters = new List<string>();
        if (spec.SecurityContext?.SeLinuxOptions is { } podOptions && !Valid(podOptions))
        {
            setters.Add("pod");
        }

        var bad = Names(spec.AllContainers().Where(c => c.SecurityContext?.SeLinuxOptions is { } options && !Valid(options)));
        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        if (setters.Count == 0)
        {
            return null;
        }

        var data = new List<string>();
        if (types.Count > 0)
        {
            data.Add($"{Pluralize("type", "types", types.Count)} {JoinQuote(types)}");
        }

        if (setUser)
        {
            data.Add("user may not be set");
        }

        if (setRole)
        {
            data.Add("role may not be set");
        }

        return new("seLinuxOptions", $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", data)}", bad);
    }

    // Before v1.19 seccomp was set by alpha annotations; upstream checks them only in those versions.
    private static CheckFailure? SeccompAnnotations(ObjectMeta meta, PodSpec spec)
    {
        static bool Valid(string? value) =>
            value is "runtime/default" or "docker/default" || (value ?? "").StartsWith("localhost/", StringComparison.Ordinal);

        var annotations = meta.Annotations ?? new Dictionary<string, string?>();
        var forbidden = new SortedSet<string>(StringComparer.Ordinal);
        var bad = new List<string>();
        if (annotations.TryGetValue(SeccompPodAnnotation, out var podValue) && !Valid(podValue))
        {
            forbidden.Add($"{SeccompPodAnnotation}={GoQuote(podValue ?? "")}");
        }

        foreach (var container in spec.AllContainers())
        {
            var key = SeccompContainerAnnotationPrefix + container.Name;
            if (annotations.TryGetValue(key, out var value) && !Valid(value))
            {
                forbidden.Add($"{key}={GoQuote(value ?? "")}");
                bad.Add(container.Name ?? "");
            }
        }

        return forbidden.Count == 0 ? null
            : new("seccompProfile", $"forbidden {Pluralize("annotation", "annotations", forbidden.Count)} {string.Join(", ", forbidden)}", bad);
    }

    private static bool ValidSeccompType(string? type) => type is "RuntimeDefault" or "Localhost";

    private static CheckFailure? SeccompBaseline(ObjectMeta meta, PodSpec spec) => SeccompProfile(spec, required: false);

    private static CheckFailure? SeccompRestricted(ObjectMeta meta, PodSpec spec) => SeccompProfile(spec, required: true);

    private static CheckFailure? SeccompProfile(PodSpec spec, bool required)
    {
        var setters = new List<string>();
        var values = new SortedSet<string>(StringComparer.Ordinal);
        var podSet = false;
        if (spec.SecurityContext?.SeccompProfile is { } podProfile)
        {
            if (ValidSeccompType(podProfile.Type))
            {
                podSet = true;
            }
            else
            {
                setters.Add("pod");
                values.Add(podProfile.Type ?? "");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var container in spec.AllContainers())
        {
            if (container.SecurityContext?.SeccompProfile is { } profile)
            {
                if (!ValidSeccompType(profile.Type))
                {
                    explicitlyBad.Add(container.Name ?? "");
                    values.Add(profile.Type ?? "");
                }
            }
            else if (!podSet)
            {
                implicitlyBad.Add(container.Name ?? "");
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return new("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(values)}", explicitlyBad);
        }

        return !required || implicitlyBad.Count == 0 ? null
            : new("seccompProfile", $"pod or {Containers(implicitlyBad)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                implicitlyBad);
    }

    private static CheckFailure? Sysctls(PodSpec spec, HashSet<string> allowed)
    {
        var forbidden = (spec.SecurityContext?.Sysctls ?? []).Select(s => s.Name ?? "").Where(n => !allowed.Contains(n)).ToList();
        return forbidden.Count == 0 ? null : new("forbidden sysctls", string.Join(", ", forbidden));
    }

    private static CheckFailure? WindowsHostProcess(ObjectMeta meta, PodSpec spec)
    {
        var setters = new List<string>();
        if (spec.SecurityContext?.WindowsOptions?.HostProcess == true)
        {
            setters.Add("pod");
        }

        var bad = Names(spec.AllContainers().Where(c => c.SecurityContext?.WindowsOptions?.HostProcess == true));
        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        return setters.Count == 0 ? null
            : new("hostProcess", $"{string.Join(" and ", setters)} must not set securityContext.windowsOptions.hostProcess=true", bad);
    }

    private static List<string> Names(IEnumerable<Container> containers) => containers.Select(c => c.Name ?? "").ToList();

    private static string Containers(IReadOnlyCollection<string> names) => $"{Pluralize("container", "containers", names.Count)} {JoinQuote(names)}";

    private static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    private static string JoinQuote(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "" : "\"" + string.Join("\", \"", list) + "\"";
    }

    // Go's %q: a double-quoted string with backslash escapes.
    private static string GoQuote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}
