namespace Bulwark.Server.Scanning;

/// <summary>One page of a list; pass <see cref="Next"/> as <c>cursor</c> for the following page (null on the last one).</summary>
public sealed record ScanPage<T>(IReadOnlyList<T> Items, string? Next);
