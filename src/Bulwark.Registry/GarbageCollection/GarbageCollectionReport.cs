namespace Bulwark.Registry.GarbageCollection;

/// <summary>What a collection removed (or, for a dry run, would remove).</summary>
public sealed record GarbageCollectionReport(
    bool DryRun,
    IReadOnlyList<string> Manifests,
    IReadOnlyList<string> Links,
    IReadOnlyList<string> Blobs,
    long BytesFreed,
    int ExpiredUploads);
