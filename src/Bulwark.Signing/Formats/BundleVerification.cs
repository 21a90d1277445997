using Bulwark.Oci;

namespace Bulwark.Signing.Formats;

/// <summary>The outcome of checking one Sigstore bundle against one key: verified, or the first reason it is not.</summary>
public sealed record BundleVerification(bool Verified, string Detail, IReadOnlyList<Digest> Subjects);
