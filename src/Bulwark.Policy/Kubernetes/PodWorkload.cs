namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// A pod, or the pod template of a workload, taken out of a manifest object.
/// </summary>
/// <param name="Source">The object the pod comes from (a Pod, Deployment, CronJob…).</param>
/// <param name="SpecPath">Where the pod spec is in the object (<c>spec</c>, <c>spec.template.spec</c>, <c>spec.jobTemplate.spec.template.spec</c>).</param>
/// <param name="Metadata">The pod's metadata (the template's, for workloads): its annotations carry the pre-field seccomp and AppArmor settings.</param>
public sealed record PodWorkload(KubernetesObject Source, string SpecPath, ObjectMeta Metadata, PodSpec Spec);
