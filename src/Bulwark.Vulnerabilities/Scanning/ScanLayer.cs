namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>One layer of the scanned image.</summary>
/// <param name="Digest">The layer blob digest as stored (compressed); null for a root filesystem.</param>
/// <param name="DiffId">The uncompressed tar's digest (<c>rootfs.diff_ids</c>).</param>
/// <param name="CreatedBy">The build step from the config history, when it lines up.</param>
/// <param name="InBaseImage">True when the layer belongs to the base image; null when not known.</param>
public sealed record ScanLayer(int Index, string? Digest, string? DiffId, string? CreatedBy, bool? InBaseImage);
