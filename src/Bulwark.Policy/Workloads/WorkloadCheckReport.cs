namespace Bulwark.Policy.Workloads;

/// <summary>The outcome of checking a set of manifests: one result per pod-running object, in input order.</summary>
/// <param name="ObjectCount">Every object read, those that run no pod included.</param>
public sealed record WorkloadCheckReport(IReadOnlyList<WorkloadResult> Results, int ObjectCount, WorkloadCheckOptions Options)
{
    /// <summary>Said in every output: without a server only workload security (Pod Security) is checked, not images.</summary>
    public const string ScopeNote = "workload security only (Pod Security Standards); image rules need a Bulwark server";

    /// <summary>The server whose image rules were applied (<c>k8s check --server</c>); null when only workload security was checked.</summary>
    public string? ImageServer { get; init; }

    /// <summary>What was checked, as every output says it.</summary>
    public string Scope => ImageServer is null
        ? ScopeNote
        : $"workload security (Pod Security Standards) and image rules (Bulwark server {ImageServer})";

    public bool AllAllowed => Results.All(r => r.Allowed);

    public int DeniedCount => Results.Count(r => !r.Allowed);
}
