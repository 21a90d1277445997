using Bulwark.Policy.Kubernetes;
using Bulwark.Policy.Workloads;

namespace Bulwark.Policy.Tests.Workloads;

/// <summary>Each control on its own: the violation's id, container and upstream-style detail, and its version gating.</summary>
public sealed class PodSecurityEvaluatorTests
{
    private const string Compliant = """
        securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
        containers:
        - name: app
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        """;

    private static IReadOnlyList<PodSecurityViolation> Evaluate(string level, string version, string spec, string annotations = "{}")
    {
        var text = $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {annotations}\nspec:\n" + string.Join('\n', spec.Split('\n').Select(l => "  " + l));
        var workload = PodWorkloads.Find(Assert.Single(ManifestReader.Read(text, "t.yaml", json: false, ManifestLimits.Default)))!;
        Assert.True(PodSecurityLevels.TryParse(level, out var parsedLevel));
        Assert.True(PodSecurityVersion.TryParse(version, out var parsedVersion));
        return PodSecurityEvaluator.Evaluate(parsedLevel, parsedVersion, workload.Metadata, workload.Spec);
    }

    [Fact]
    public void Evaluate_CompliantPod_IsAllowedAtRestricted() => Assert.Empty(Evaluate("restricted", "latest", Compliant));

    [Theory]
    [InlineData("hostNamespaces", "host namespaces", "hostNetwork=true, hostPID=true", "hostNetwork: true\nhostPID: true\ncontainers: [{name: app}]")]
    [InlineData("privileged", "privileged", "container \"app\" must not set securityContext.privileged=true", "containers: [{name: app, securityContext: {privileged: true}}]")]
    [InlineData("capabilities_baseline", "non-default capabilities", "container \"app\" must not include \"NET_RAW\", \"SYS_ADMIN\" in securityContext.capabilities.add",
        "containers: [{name: app, securityContext: {capabilities: {add: [SYS_ADMIN, CHOWN, NET_RAW]}}}]")]
    [InlineData("hostPathVolumes", "hostPath volumes", "volume \"data\"", "containers: [{name: app}]\nvolumes: [{name: data, hostPath: {path: /}}]")]
    [InlineData("hostPorts", "hostPort", "container \"app\" uses hostPort 8080", "containers: [{name: app, ports: [{containerPort: 80, hostPort: 8080}]}]")]
    [InlineData("appArmorProfile", "forbidden AppArmor profile", "pod must not set AppArmor profile type to \"Unconfined\"",
        "securityContext: {appArmorProfile: {type: Unconfined}}\ncontainers: [{name: app}]")]
    [InlineData("seLinuxOptions", "seLinuxOptions", "container \"app\" set forbidden securityContext.seLinuxOptions: type \"spc_t\"; user may not be set",
        "containers: [{name: app, securityContext: {seLinuxOptions: {type: spc_t, user: root}}}]")]
    [InlineData("procMount", "procMount", "container \"app\" must not set securityContext.procMount to \"Unmasked\"", "containers: [{name: app, securityContext: {procMount: Unmasked}}]")]
    [InlineData("seccompProfile_baseline", "seccompProfile", "container \"app\" must not set securityContext.seccompProfile.type to \"Unconfined\"",
        "containers: [{name: app, securityContext: {seccompProfile: {type: Unconfined}}}]")]
    [InlineData("sysctls", "forbidden sysctls", "kernel.msgmax", "securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}, {name: net.ipv4.tcp_syncookies, value: '1'}]}\ncontainers: [{name: app}]")]
    [InlineData("windowsHostProcess", "hostProcess", "pod must not set securityContext.windowsOptions.hostProcess=true",
        "securityContext: {windowsOptions: {hostProcess: true}}\ncontainers: [{name: app}]")]
    [InlineData("hostProbesAndHostLifecycle", "probe or lifecycle host", "container \"app\" uses probe or lifecycle host \"169.254.169.254\"",
        "containers: [{name: app, livenessProbe: {httpGet: {host: 169.254.169.254, port: 80}}}]")]
    public void Evaluate_BaselineControl_NamesContainerFieldAndValue(string control, string reason, string detail, string spec)
    {
        var violation = Assert.Single(Evaluate("baseline", "latest", spec));

        Assert.Equal(control, violation.CheckId);
        Assert.Equal(reason, violation.Reason);
        Assert.Equal(detail, violation.Detail);
    }

    [Theory]
    [InlineData("allowPrivilegeEscalation", "allowPrivilegeEscalation != false", "container \"app\" must set securityContext.allowPrivilegeEscalation=false",
        "{allowPrivilegeEscalation: true, capabilities: {drop: [ALL]}}")]
    [InlineData("capabilities_restricted", "unrestricted capabilities", "container \"app\" must set securityContext.capabilities.drop=[\"ALL\"]",
        "{allowPrivilegeEscalation: false, capabilities: {drop: [NET_RAW]}}")]
    [InlineData("capabilities_restricted", "unrestricted capabilities", "container \"app\" must not include \"CHOWN\" in securityContext.capabilities.add",
        "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE, CHOWN]}}")]
    [InlineData("runAsNonRoot", "runAsNonRoot != true", "container \"app\" must not set securityContext.runAsNonRoot=false",
        "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsNonRoot: false}")]
    [InlineData("runAsUser", "runAsUser=0", "container \"app\" must not set runAsUser=0", "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsUser: 0}")]
    [InlineData("seccompProfile_restricted", "seccompProfile", "container \"app\" must not set securityContext.seccompProfile.type to \"Unconfined\"",
        "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seccompProfile: {type: Unconfined}}")]
    [InlineData("procMount_restricted", "procMount", "container \"app\" must not set securityContext.procMount to \"Unmasked\"",
        "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, procMount: Unmasked}")]
    public void Evaluate_RestrictedControl_NamesContainerFieldAndValue(string control, string reason, string detail, string securityContext)
    {
        var spec = $"securityContext: {{runAsNonRoot: true, seccompProfile: {{type: RuntimeDefault}}}}\ncontainers:\n- name: app\n  securityContext: {securityContext}";

        var violation = Assert.Single(Evaluate("restricted", "latest", spec));

        Assert.Equal(control, violation.CheckId);
        Assert.Equal(reason, violation.Reason);
        Assert.Equal(detail, violation.Detail);
        Assert.Equal(["app"], violation.Containers);
    }

    [Fact]
    public void Evaluate_RestrictedVolumes_ReplacesHostPathVolumesAndNamesTheType()
    {
        var violation = Assert.Single(Evaluate("restricted", "latest", Compliant + "\nvolumes: [{name: a, hostPath: {path: /}}, {name: b, nfs: {server: s, path: /}}, {name: c, emptyDir: {}}, {name: d}]"));

        Assert.Equal("restrictedVolumes", violation.CheckId);
        Assert.Equal("volumes \"a\", \"b\" use restricted volume types \"hostPath\", \"nfs\"", violation.Detail);
    }

    [Fact]
    public void Evaluate_InitAndEphemeralContainers_AreChecked()
    {
        var violations = Evaluate("baseline", "latest",
            "initContainers: [{name: init, securityContext: {privileged: true}}]\ncontainers: [{name: app}]\nephemeralContainers: [{name: debug, securityContext: {privileged: true}}]");

        Assert.Equal(["init", "debug"], Assert.Single(violations).Containers);
    }

    [Theory]
    [InlineData("v1.26", "net.ipv4.ip_local_reserved_ports", true)]
    [InlineData("v1.27", "net.ipv4.ip_local_reserved_ports", false)]
    [InlineData("v1.28", "net.ipv4.tcp_keepalive_time", true)]
    [InlineData("v1.29", "net.ipv4.tcp_keepalive_time", false)]
    [InlineData("v1.31", "net.ipv4.tcp_rmem", true)]
    [InlineData("v1.32", "net.ipv4.tcp_rmem", false)]
    [InlineData("v1.36", "net.ipv4.tcp_notsent_lowat", true)]
    [InlineData("v1.37", "net.ipv4.tcp_notsent_lowat", false)]
    [InlineData("latest", "net.ipv4.tcp_notsent_lowat", false)]
    public void Evaluate_Sysctls_AllowedSetGrowsPerVersion(string version, string sysctl, bool denied)
    {
        var violations = Evaluate("baseline", version, $"securityContext: {{sysctls: [{{name: {sysctl}, value: '1'}}]}}\ncontainers: [{{name: app}}]");

        Assert.Equal(denied, violations.Count > 0);
    }

    [Theory]
    [InlineData("v1.18", true, false)]
    [InlineData("v1.19", false, true)]
    public void Evaluate_Seccomp_AnnotationsBefore119FieldsAfter(string version, bool annotationDenied, bool fieldDenied)
    {
        var annotated = Evaluate("baseline", version, "containers: [{name: app}]", "{seccomp.security.alpha.kubernetes.io/pod: unconfined}");
        var field = Evaluate("baseline", version, "securityContext: {seccompProfile: {type: Unconfined}}\ncontainers: [{name: app}]");

        Assert.Equal(annotationDenied, annotated.Count > 0);
        Assert.Equal(fieldDenied, field.Count > 0);
        if (annotationDenied)
        {
            Assert.Equal("forbidden annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"", Assert.Single(annotated).Detail);
        }
    }

    [Fact]
    public void Evaluate_AppArmorAnnotation_IsDeniedAtEveryVersion()
    {
        foreach (var version in new[] { "v1.0", "v1.30", "latest" })
        {
            var violation = Assert.Single(Evaluate("baseline", version, "containers: [{name: app}]", "{container.apparmor.security.beta.kubernetes.io/app: unconfined}"));
            Assert.Equal("annotation must not set AppArmor profile type to \"container.apparmor.security.beta.kubernetes.io/app=\"unconfined\"\"", violation.Detail);
        }
    }

    [Theory]
    [InlineData("v1.24", true)]
    [InlineData("v1.25", false)]
    public void Evaluate_WindowsPod_SkipsLinuxOnlyRestrictedControlsFrom125(string version, bool denied)
    {
        var violations = Evaluate("restricted", version, "os: {name: windows}\nsecurityContext: {runAsNonRoot: true}\ncontainers: [{name: app}]");

        Assert.Equal(denied, violations.Count > 0);
    }

    [Theory]
    [InlineData("v1.34", true)]
    [InlineData("v1.35", false)]
    public void Evaluate_UserNamespacePod_MayRunAsRootFrom135(string version, bool denied)
    {
        var violations = Evaluate("restricted", version,
            "hostUsers: false\nsecurityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}\ncontainers: [{name: app, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]");

        Assert.Equal(denied, violations.Any(v => v.CheckId is "runAsNonRoot" or "runAsUser"));
    }

    [Theory]
    [InlineData("v1.33", false)]
    [InlineData("v1.34", true)]
    public void Evaluate_ProbeHost_RestrictedFrom134(string version, bool denied)
    {
        var violations = Evaluate("baseline", version, "containers: [{name: app, readinessProbe: {tcpSocket: {host: example.com, port: 80}}}]");

        Assert.Equal(denied, violations.Count > 0);
    }

    [Fact]
    public void Evaluate_VersionNewerThanKnown_EvaluatesAsLatest()
    {
        Assert.Equal(PodSecurityEvaluator.Controls(PodSecurityLevel.Restricted, PodSecurityVersion.Latest),
            PodSecurityEvaluator.Controls(PodSecurityLevel.Restricted, PodSecurityVersion.Of(99)));
        Assert.Equal(37, PodSecurityEvaluator.NewestMinor);
    }

    [Fact]
    public void Evaluate_Privileged_AllowsEverything() =>
        Assert.Empty(PodSecurityEvaluator.Evaluate(PodSecurityLevel.Privileged, PodSecurityVersion.Latest, new ObjectMeta(),
            new PodSpec { HostNetwork = true, Containers = [new Container { Name = "x", SecurityContext = new SecurityContext { Privileged = true } }] }));

    [Theory]
    [InlineData("latest", true)]
    [InlineData("v1.0", true)]
    [InlineData("v1.37", true)]
    [InlineData("v1.05", false)]
    [InlineData("1.30", false)]
    [InlineData("v2.0", false)]
    [InlineData("v1.", false)]
    [InlineData("Latest", false)]
    public void Version_TryParse_AcceptsOnlyUpstreamForms(string text, bool valid) => Assert.Equal(valid, PodSecurityVersion.TryParse(text, out _));
}
