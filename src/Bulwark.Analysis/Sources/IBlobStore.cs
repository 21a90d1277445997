namespace Bulwark.Analysis.Sources;

/// <summary>Content-addressed reads that an OCI layout and a registry both offer.</summary>
internal interface IBlobStore
{
    /// <summary>A manifest or index by digest (or, for a registry, by tag), with its media type when known.</summary>
    Task<FetchedManifest> GetManifestAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Opens a blob; the stream verifies the digest as it is read.</summary>
    Task<Stream> OpenBlobAsync(Oci.Descriptor descriptor, CancellationToken cancellationToken);
}
