using System.Text.Json.Serialization;

namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// Source-generated JSON for the Kubernetes fields Bulwark reads. Property names are case-sensitive and unknown
/// members are skipped, as the API server decodes objects.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(PodSpec))]
[JsonSerializable(typeof(ObjectMeta))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext;
