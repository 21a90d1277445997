namespace Bulwark.Identity.Management;

/// <summary>A new secret (or generated password) with the principal it belongs to; shown to the caller once.</summary>
public sealed record CreatedSecret(PrincipalView Principal, SecretView? Metadata, string Secret);
