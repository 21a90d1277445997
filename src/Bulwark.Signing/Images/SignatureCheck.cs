namespace Bulwark.Signing.Images;

/// <summary>One signature found for an image: its form, where it is (manifest and layer digests), and whether it verified.</summary>
public sealed record SignatureCheck(SignatureForm Form, string Location, bool Verified, string Detail);
