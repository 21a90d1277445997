namespace Bulwark.Analysis.Sources;

/// <summary>Manifest bytes as fetched, with the media type the store reported and their digest.</summary>
internal sealed record FetchedManifest(byte[] Content, string? MediaType, string Digest);
