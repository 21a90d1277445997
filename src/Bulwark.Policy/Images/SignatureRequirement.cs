namespace Bulwark.Policy.Images;

/// <summary><c>requireSignature</c>: at least <see cref="Minimum"/> distinct trusted keys must have signed the image's digest (either storage form).</summary>
public sealed record SignatureRequirement(IReadOnlyList<TrustedKey> Keys, int Minimum);
