using System.Text;
using System.Text.Json.Nodes;

namespace Bulwark.Tests.Shared;

/// <summary>
/// AdmissionReview bodies shaped as kube-apiserver sends them: the full object (metadata with uid, creationTimestamp,
/// managedFields…, spec, status), group/version/kind and resource, userInfo and options.
/// </summary>
internal static class AdmissionReviews
{
    /// <summary>(apiVersion, kind, resource, path of the pod template in the object) for every workload kind.</summary>
    public static readonly IReadOnlyList<(string ApiVersion, string Kind, string Resource, string[] TemplatePath)> WorkloadKinds =
    [
        ("v1", "Pod", "pods", []),
        ("v1", "ReplicationController", "replicationcontrollers", ["spec", "template"]),
        ("apps/v1", "Deployment", "deployments", ["spec", "template"]),
        ("apps/v1", "ReplicaSet", "replicasets", ["spec", "template"]),
        ("apps/v1", "StatefulSet", "statefulsets", ["spec", "template"]),
        ("apps/v1", "DaemonSet", "daemonsets", ["spec", "template"]),
        ("batch/v1", "Job", "jobs", ["spec", "template"]),
        ("batch/v1", "CronJob", "cronjobs", ["spec", "jobTemplate", "spec", "template"]),
    ];

    /// <summary>A pod spec that passes restricted:latest, with init, regular and ephemeral containers of the given images.</summary>
    public static JsonObject RestrictedPodSpec(string initImage, string[] images, string? ephemeralImage = null)
    {
        static JsonObject Hardened(string name, string image) => new()
        {
            ["name"] = name,
            ["image"] = image,
            ["imagePullPolicy"] = "IfNotPresent",
            ["resources"] = new JsonObject(),
            ["terminationMessagePath"] = "/dev/termination-log",
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            },
        };

        var spec = new JsonObject
        {
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = 1000,
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["initContainers"] = new JsonArray(Hardened("init", initImage)),
            ["containers"] = new JsonArray(images.Select((image, i) => (JsonNode)Hardened($"app{i}", image)).ToArray()),
            ["restartPolicy"] = "Always",
            ["dnsPolicy"] = "ClusterFirst",
            ["serviceAccountName"] = "default",
            ["schedulerName"] = "default-scheduler",
            ["terminationGracePeriodSeconds"] = 30,
        };
        if (ephemeralImage is not null)
        {
            spec["ephemeralContainers"] = new JsonArray(Hardened("debug", ephemeralImage));
        }

        return spec;
    }

    /// <summary>A full object of <paramref name="kind"/> embedding <paramref name="podSpec"/> where kube puts it.</summary>
    public static JsonObject Workload(string apiVersion, string kind, string[] templatePath, string name, string ns, JsonObject podSpec)
    {
        var o = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = "6f1d0b6a-3c1e-4a8c-9d43-1b6f2f1e1a01",
                ["creationTimestamp"] = "2026-11-27T15:00:00Z",
                ["labels"] = new JsonObject { ["app"] = name },
                ["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "kubectl-client-side-apply", ["operation"] = "Update" }),
            },
        };
        if (templatePath.Length == 0)
        {
            o["spec"] = podSpec.DeepClone();
            o["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
            return o;
        }

        var template = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name }, ["creationTimestamp"] = null },
            ["spec"] = podSpec.DeepClone(),
        };
        JsonObject current = o;
        for (var i = 0; i < templatePath.Length - 1; i++)
        {
            var next = new JsonObject();
            if (templatePath[i] == "spec" && i == 0 && kind != "CronJob")
            {
                next["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } };
                next["replicas"] = 2;
            }

            if (kind == "CronJob" && i == 0)
            {
                next["schedule"] = "*/5 * * * *";
                next["concurrencyPolicy"] = "Allow";
            }

            current[templatePath[i]] = next;
            current = next;
        }

        current[templatePath[^1]] = template;
        o["status"] = new JsonObject();
        return o;
    }

    public static JsonObject Review(string apiVersion, string kind, string resource, JsonObject? obj, string operation = "CREATE",
        JsonObject? oldObject = null, bool dryRun = false, string ns = "shop", string username = "kubernetes-admin", string? subResource = null,
        string uid = "705ab4f5-6393-11e8-b7cc-42010a800002")
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind },
            ["resource"] = new JsonObject { ["group"] = group, ["version"] = version, ["resource"] = resource },
            ["requestKind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind },
            ["requestResource"] = new JsonObject { ["group"] = group, ["version"] = version, ["resource"] = resource },
            ["name"] = obj?["metadata"]?["name"]?.GetValue<string>() ?? oldObject?["metadata"]?["name"]?.GetValue<string>(),
            ["namespace"] = ns,
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = username, ["uid"] = "4b6e", ["groups"] = new JsonArray("system:masters", "system:authenticated") },
            ["object"] = obj?.DeepClone(),
            ["oldObject"] = oldObject?.DeepClone(),
            ["dryRun"] = dryRun,
            ["options"] = new JsonObject { ["apiVersion"] = "meta.k8s.io/v1", ["kind"] = operation == "UPDATE" ? "UpdateOptions" : "CreateOptions", ["fieldManager"] = "kubectl" },
        };
        if (subResource is not null)
        {
            request["subResource"] = subResource;
            request["requestSubResource"] = subResource;
        }

        return new JsonObject { ["kind"] = "AdmissionReview", ["apiVersion"] = "admission.k8s.io/v1", ["request"] = request };
    }

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    /// <summary>Applies an RFC 6902 patch of <c>replace</c> operations (all the webhook emits), failing on any other op or a missing path.</summary>
    public static JsonNode ApplyPatch(JsonNode document, byte[] patch)
    {
        var result = document.DeepClone();
        foreach (var op in JsonNode.Parse(patch)!.AsArray())
        {
            Assert.Equal("replace", op!["op"]!.GetValue<string>());
            var path = op["path"]!.GetValue<string>();
            Assert.StartsWith("/", path, StringComparison.Ordinal);
            var steps = path[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            var parent = result;
            foreach (var step in steps[..^1])
            {
                parent = parent is JsonArray array ? array[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)]! : parent[step]
                    ?? throw new InvalidOperationException($"patch path {path} does not exist");
            }

            var last = steps[^1];
            if (parent is JsonArray list)
            {
                var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(index, 0, list.Count - 1);
                list[index] = op["value"]!.DeepClone();
            }
            else
            {
                Assert.True(parent.AsObject().ContainsKey(last), $"replace target {path} must exist (RFC 6902 §4.3)");
                parent[last] = op["value"]!.DeepClone();
            }
        }

        return result;
    }
}
