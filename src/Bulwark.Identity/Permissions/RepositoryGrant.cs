namespace Bulwark.Identity.Permissions;

/// <summary>Actions granted on the repositories a pattern matches.</summary>
public sealed record RepositoryGrant(RepositoryPattern Pattern, RegistryActions Actions);
