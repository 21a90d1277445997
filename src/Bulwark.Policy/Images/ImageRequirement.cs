namespace Bulwark.Policy.Images;

/// <summary><c>image</c>: checks on the image itself — not running as root, built recently enough, no secrets found in its layers.</summary>
public sealed record ImageRequirement(bool NoRootUser, int? MaximumAgeDays, bool NoSecrets);
