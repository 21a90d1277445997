using Bulwark.Identity.Permissions;

namespace Bulwark.Server.Identity;

/// <summary>What a /v2 operation needs: actions on its repository, or (for registry-wide operations) a signed-in caller.</summary>
public sealed record OperationRequirement(RegistryActions Actions, bool RepositoryScoped)
{
    public static OperationRequirement SignedIn { get; } = new(RegistryActions.None, false);

    public static OperationRequirement On(RegistryActions actions) => new(actions, true);
}
