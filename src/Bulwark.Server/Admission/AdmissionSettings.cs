using Bulwark.Policy.Admission;
using Bulwark.Policy.Workloads;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Admission;

/// <summary>
/// The Kubernetes admission webhook, as configured (<c>admission:</c> in <c>bulwark.yaml</c>). Admission reviews carry no
/// namespace labels and Bulwark has no kube client, so the Pod Security level per namespace is configuration here
/// (<see cref="Namespaces"/>), in the spelling of the <c>pod-security.kubernetes.io/enforce[-version]</c> labels.
/// </summary>
public sealed class AdmissionSettings
{
    /// <summary><c>enforce</c> (deny) or <c>audit</c> (allow with warnings).</summary>
    public string Mode { get; set; } = "enforce";

    /// <summary>Pod Security level for namespaces not listed in <see cref="Namespaces"/>: privileged, baseline or restricted.</summary>
    public string Level { get; set; } = "restricted";

    /// <summary>Version of the standards for namespaces not listed: <c>latest</c> or <c>v1.N</c>.</summary>
    public string Version { get; set; } = "latest";

    /// <summary>Per namespace: <c>{enforce: baseline, version: v1.29}</c>.</summary>
    public Dictionary<string, NamespaceAdmissionSettings> Namespaces { get; set; } = new(StringComparer.Ordinal);

    public AdmissionExemptionSettings Exemptions { get; set; } = new();

    /// <summary>Registry hosts (exact host[:port]) images may come from; empty allows any registry.</summary>
    public List<string> AllowedRegistries { get; set; } = [];

    /// <summary>The host[:port] names clusters pull from this Bulwark by; images there must resolve and pass.</summary>
    public List<string> RegistryHosts { get; set; } = [];

    /// <summary>Whether images on this registry need a verified signature.</summary>
    public bool RequireSignature { get; set; }

    /// <summary>Largest AdmissionReview body accepted (default 3 MiB, as kube-apiserver).</summary>
    public int MaxRequestBytes { get; set; } = AdmissionOptions.DefaultMaxRequestBytes;

    /// <summary>How long a passing image's facts (tag → digest, decision) are reused; 0 disables the cache.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The decision options; every invalid value is reported at once.</summary>
    /// <exception cref="ServerConfigurationException">A value is invalid.</exception>
    public AdmissionOptions ToOptions()
    {
        var problems = new List<string>();
        var mode = Mode switch
        {
            "enforce" => AdmissionMode.Enforce,
            "audit" => AdmissionMode.Audit,
            _ => Problem(problems, $"admission.mode must be enforce or audit, not \"{Mode}\"", AdmissionMode.Enforce),
        };
        var level = ParseLevel(Level, "admission.level", problems);
        var version = ParseVersion(Version, "admission.version", problems);
        var namespaces = new Dictionary<string, NamespacePodSecurity>(StringComparer.Ordinal);
        foreach (var (name, ns) in Namespaces)
        {
            namespaces[name] = new NamespacePodSecurity(
                ns.Enforce is null ? level : ParseLevel(ns.Enforce, $"admission.namespaces.{name}.enforce", problems),
                ns.Version is null ? version : ParseVersion(ns.Version, $"admission.namespaces.{name}.version", problems));
        }

        foreach (var host in AllowedRegistries.Concat(RegistryHosts))
        {
            if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) || host.Any(char.IsWhiteSpace))
            {
                problems.Add($"admission: \"{host}\" is not a registry host[:port]");
            }
        }

        if (MaxRequestBytes is < 1024 or > 64 * 1024 * 1024)
        {
            problems.Add("admission.maxRequestBytes must be between 1 KiB and 64 MiB");
        }

        if (CacheDuration < TimeSpan.Zero || CacheDuration > TimeSpan.FromMinutes(5))
        {
            problems.Add("admission.cacheDuration must be between 0 and 5 minutes");
        }

        if (problems.Count > 0)
        {
            throw new ServerConfigurationException(string.Join("; ", problems));
        }

        return new AdmissionOptions
        {
            Mode = mode,
            Level = level,
            Version = version,
            Namespaces = namespaces,
            Exemptions = new PodSecurityExemptions
            {
                Namespaces = Exemptions.Namespaces,
                Usernames = Exemptions.Usernames,
                RuntimeClasses = Exemptions.RuntimeClasses,
            },
            AllowedRegistries = AllowedRegistries,
            RegistryHosts = RegistryHosts,
            RequireSignature = RequireSignature,
            MaxRequestBytes = MaxRequestBytes,
        };
    }

    private static PodSecurityLevel ParseLevel(string value, string key, List<string> problems) =>
        PodSecurityLevels.TryParse(value, out var level) ? level : Problem(problems, $"{key} must be privileged, baseline or restricted, not \"{value}\"", level);

    private static PodSecurityVersion ParseVersion(string value, string key, List<string> problems) =>
        PodSecurityVersion.TryParse(value, out var version) ? version : Problem(problems, $"{key} must be latest or v1.N, not \"{value}\"", version);

    private static T Problem<T>(List<string> problems, string message, T fallback)
    {
        problems.Add(message);
        return fallback;
    }
}
