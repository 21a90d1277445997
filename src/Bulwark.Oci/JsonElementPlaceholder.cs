namespace Bulwark.Oci;

/// <summary>The empty object the image spec uses as a set member value (<c>ExposedPorts</c>, <c>Volumes</c>).</summary>
public sealed record JsonElementPlaceholder;
