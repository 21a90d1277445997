namespace Bulwark.Registry.Manifests;

/// <summary>One page of a lexically ordered listing; <see cref="Last"/> is set when more entries follow.</summary>
public sealed record Page(IReadOnlyList<string> Items, string? Last);
