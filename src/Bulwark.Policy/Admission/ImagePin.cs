namespace Bulwark.Policy.Admission;

/// <summary>One digest pin the mutating webhook applies: replace the image at <paramref name="ImagePointer"/> (RFC 6901) with <paramref name="PinnedImage"/>.</summary>
public sealed record ImagePin(string ImagePointer, string Container, string Image, string PinnedImage);
