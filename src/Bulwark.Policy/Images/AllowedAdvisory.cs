namespace Bulwark.Policy.Images;

/// <summary>An advisory accepted for a reason until <see cref="Expires"/> (exclusive, UTC); the id matches a finding's id or any alias.</summary>
public sealed record AllowedAdvisory(string Id, string Reason, DateOnly? Expires);
