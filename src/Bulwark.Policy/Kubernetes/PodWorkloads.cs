using System.Text.Json.Nodes;

namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// Finds the pod spec in the kinds that run pods: Pod and PodTemplate (core), ReplicationController, Deployment,
/// ReplicaSet, StatefulSet, DaemonSet, Job and CronJob, in any version of their API group. Other objects (Services,
/// ConfigMaps, custom resources…) have none.
/// </summary>
public static class PodWorkloads
{
    /// <summary>The kinds that embed a pod spec, by API group.</summary>
    public static IReadOnlyDictionary<string, string> KindGroups { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Pod"] = "",
        ["PodTemplate"] = "",
        ["ReplicationController"] = "",
        ["Deployment"] = "apps",
        ["ReplicaSet"] = "apps",
        ["StatefulSet"] = "apps",
        ["DaemonSet"] = "apps",
        ["Job"] = "batch",
        ["CronJob"] = "batch",
    };

    /// <summary>The pod the object runs, or null when it runs none; a workload without its pod template is a <see cref="ManifestException"/>.</summary>
    public static PodWorkload? Find(KubernetesObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (!KindGroups.TryGetValue(o.Kind, out var group) || !(o.Group == group || (o.Group == "extensions" && group == "apps")))
        {
            return null;
        }

        string[] templatePath = o.Kind switch
        {
            "Pod" => [],
            "PodTemplate" => ["template"],
            "CronJob" => ["spec", "jobTemplate", "spec", "template"],
            _ => ["spec", "template"],
        };
        JsonNode? template = o.Json;
        foreach (var step in templatePath)
        {
            template = template is JsonObject current ? current[step] : null;
        }

        var specPath = string.Join('.', templatePath.Append("spec"));
        if (template is not JsonObject templateObject || templateObject["spec"] is not JsonObject specNode)
        {
            throw new ManifestException(o.Source, o.Document, o.Line, $"{Where(o)}{o.DisplayName} has no {specPath}");
        }

        var document = new ManifestDocument(o.Source, o.Document, o.Line, null);
        var metadata = o.Kind == "Pod" ? o.Metadata
            : ManifestReader.Deserialize(templateObject["metadata"], KubernetesJsonContext.Default.ObjectMeta, string.Join('.', templatePath.Append("metadata")), document, Where(o))
                ?? new ObjectMeta();
        var spec = ManifestReader.Deserialize(specNode, KubernetesJsonContext.Default.PodSpec, specPath, document, Where(o))!;
        return new PodWorkload(o, specPath, metadata, spec);
    }

    private static string Where(KubernetesObject o) => o.Item is { } i ? $"item {i + 1}: " : "";
}
