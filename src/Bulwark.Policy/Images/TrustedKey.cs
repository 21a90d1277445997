using Bulwark.Signing.Keys;

namespace Bulwark.Policy.Images;

/// <summary>A public key a policy trusts, under the name reasons show (the key's fingerprint identifies it).</summary>
public sealed record TrustedKey(string Name, VerificationKey Key);
