namespace Bulwark.Identity.Management;

/// <summary>One page of a listing; <see cref="Next"/> is the cursor of the following page, null on the last.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
