using Bulwark.Policy.Kubernetes;

namespace Bulwark.Policy.Workloads;

/// <summary>
/// Judges every pod-running object of a set of manifests against the Pod Security Standards. The level and version of
/// a namespace come from its <c>pod-security.kubernetes.io/enforce</c> and <c>enforce-version</c> labels when the input
/// holds its Namespace document, else from the options; exemptions are applied as upstream's admission applies them.
/// </summary>
public static class WorkloadChecker
{
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";
    public const string EnforceVersionLabel = "pod-security.kubernetes.io/enforce-version";

    public static WorkloadCheckReport Check(IReadOnlyList<KubernetesObject> objects, WorkloadCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(options);
        var namespaces = NamespacePolicies(objects, options);
        var results = new List<WorkloadResult>();
        foreach (var o in objects)
        {
            if (PodWorkloads.Find(o) is not { } workload)
            {
                continue;
            }

            var ns = string.IsNullOrEmpty(o.Metadata.Namespace) ? options.DefaultNamespace : o.Metadata.Namespace;
            var (level, version, source) = namespaces.TryGetValue(ns, out var policy) ? policy : (options.Level, options.Version, "default");
            var exemption = Exemption(workload, ns, options.Exemptions);
            var violations = exemption is null ? PodSecurityEvaluator.Evaluate(level, version, workload.Metadata, workload.Spec) : [];
            results.Add(new WorkloadResult(workload, ns, level, version, source, exemption, violations));
        }

        return new WorkloadCheckReport(results, objects.Count, options);
    }

    /// <summary>The service account identity a pod runs as, as the API server names it in usernames.</summary>
    public static string ServiceAccountUsername(string ns, PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = !string.IsNullOrEmpty(spec.ServiceAccountName) ? spec.ServiceAccountName
            : !string.IsNullOrEmpty(spec.ServiceAccount) ? spec.ServiceAccount : "default";
        return $"system:serviceaccount:{ns}:{name}";
    }

    private static string? Exemption(PodWorkload workload, string ns, PodSecurityExemptions exemptions)
    {
        if (exemptions.Namespaces.Contains(ns, StringComparer.Ordinal))
        {
            return $"namespace \"{ns}\" is exempt";
        }

        if (workload.Spec.RuntimeClassName is { Length: > 0 } runtimeClass && exemptions.RuntimeClasses.Contains(runtimeClass, StringComparer.Ordinal))
        {
            return $"runtime class \"{runtimeClass}\" is exempt";
        }

        var username = ServiceAccountUsername(ns, workload.Spec);
        return exemptions.Usernames.Contains(username, StringComparer.Ordinal) ? $"user \"{username}\" is exempt" : null;
    }

    private static Dictionary<string, (PodSecurityLevel Level, PodSecurityVersion Version, string Source)> NamespacePolicies(
        IReadOnlyList<KubernetesObject> objects, WorkloadCheckOptions options)
    {
        var policies = new Dictionary<string, (PodSecurityLevel, PodSecurityVersion, string)>(StringComparer.Ordinal);
        foreach (var o in objects.Where(o => o.Kind == "Namespace" && o.Group.Length == 0 && !string.IsNullOrEmpty(o.Metadata.Name)))
        {
            var labels = o.Metadata.Labels ?? new Dictionary<string, string?>();
            var hasLevel = labels.TryGetValue(EnforceLabel, out var levelText);
            var hasVersion = labels.TryGetValue(EnforceVersionLabel, out var versionText);
            if (!hasLevel && !hasVersion)
            {
                continue;
            }

            var level = options.Level;
            if (hasLevel && !PodSecurityLevels.TryParse(levelText, out level))
            {
                throw new ManifestException(o.Source, o.Document, o.Line,
                    $"Namespace/{o.Metadata.Name}: label {EnforceLabel}={levelText} must be privileged, baseline or restricted");
            }

            var version = options.Version;
            if (hasVersion && !PodSecurityVersion.TryParse(versionText, out version))
            {
                throw new ManifestException(o.Source, o.Document, o.Line,
                    $"Namespace/{o.Metadata.Name}: label {EnforceVersionLabel}={versionText} must be \"latest\" or \"v1.x\"");
            }

            policies[o.Metadata.Name!] = (level, version, "namespace");
        }

        return policies;
    }
}
