namespace Bulwark.Policy.Workloads;

/// <summary>A control's verdict against a pod: upstream's forbidden reason and detail, and the containers named.</summary>
internal sealed record CheckFailure(string Reason, string Detail, IReadOnlyList<string>? Containers = null);
