namespace Bulwark.Registry;

/// <summary>Where the registry keeps its data and the limits it applies to untrusted input.</summary>
public sealed record RegistryOptions
{
    /// <summary>Root of the blob store and upload area.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Largest manifest accepted on PUT; larger ones get 413.</summary>
    public long MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest page a tag or catalog listing returns, whatever <c>n</c> asks for.</summary>
    public int MaxPageSize { get; init; } = 1000;

    /// <summary>Largest blob accepted (sum of all chunks of one upload).</summary>
    public long MaxBlobBytes { get; init; } = 64L * 1024 * 1024 * 1024;

    /// <summary>An upload session with no activity for this long is abandoned and removed.</summary>
    public TimeSpan UploadSessionTimeout { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Blobs and links younger than this are never collected, so in-flight pushes are safe.</summary>
    public TimeSpan GarbageCollectionGracePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Untagged, unreferenced manifests older than this are collected; null keeps them forever.</summary>
    public TimeSpan? UntaggedManifestRetention { get; init; }

    public string BlobsDirectory => Path.Combine(DataDirectory, "blobs");

    public string UploadsDirectory => Path.Combine(DataDirectory, "uploads");
}
