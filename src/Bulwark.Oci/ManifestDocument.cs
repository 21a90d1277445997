namespace Bulwark.Oci;

/// <summary>
/// What the registry needs to know about a validated manifest or index: its media type, the content it
/// references, its subject (for the referrers API) and the fields that describe it as a referrer.
/// </summary>
public sealed record ManifestDocument
{
    public required string MediaType { get; init; }

    /// <summary>Config and layers of an image manifest, or the child manifests of an index.</summary>
    public required IReadOnlyList<Descriptor> References { get; init; }

    /// <summary>The config descriptor of an image manifest; null for an index.</summary>
    public Descriptor? Config { get; init; }

    public Descriptor? Subject { get; init; }

    /// <summary>The <c>artifactType</c> field itself; see <see cref="EffectiveArtifactType"/>.</summary>
    public string? ArtifactType { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>
    /// The artifact type a referrers response reports: <c>artifactType</c>, else the config media type of an
    /// image manifest (distribution-spec "Listing Referrers").
    /// </summary>
    public string? EffectiveArtifactType => ArtifactType ?? (IsIndex ? null : Config?.MediaType);
}
