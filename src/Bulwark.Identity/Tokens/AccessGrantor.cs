using Bulwark.Identity.Permissions;
using Bulwark.Identity.Principals;
using Bulwark.Oci;

namespace Bulwark.Identity.Tokens;

/// <summary>
/// Decides a token's <c>access</c> claim: for each requested scope, the <b>intersection</b> of the actions
/// requested and the actions the principal holds. Nothing is granted that was not asked for.
/// </summary>
public static class AccessGrantor
{
    public static IReadOnlyList<TokenAccess> Grant(PrincipalRef principal, PermissionSet permissions, IEnumerable<TokenScope> requested)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(requested);
        var repositories = new Dictionary<string, RegistryActions>(StringComparer.Ordinal);
        var registry = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scope in requested)
        {
            if (scope.Type == TokenAccess.RepositoryType && RepositoryName.IsValid(scope.Name))
            {
                var asked = scope.Actions.Aggregate(RegistryActions.None, (all, a) => all | RegistryActionNames.FromScopeAction(a));
                var granted = asked & permissions.ActionsOn(scope.Name);
                repositories[scope.Name] = repositories.GetValueOrDefault(scope.Name) | granted;
            }
            else if (scope.Type == TokenAccess.RegistryType && scope.Name == TokenAccess.Catalog && scope.Actions.Contains("*") && !principal.IsAnonymous)
            {
                // Every signed-in principal may list the catalog; the listing only shows what it can read.
                registry.Add(TokenAccess.Catalog);
            }
            else if (scope.Type == TokenAccess.RegistryType && scope.Name == TokenAccess.Management && scope.Actions.Contains("*") && permissions.IsSystemAdmin)
            {
                registry.Add(TokenAccess.Management);
            }
        }

        var access = new List<TokenAccess>();
        foreach (var (name, actions) in repositories.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (actions != RegistryActions.None)
            {
                access.Add(new TokenAccess(TokenAccess.RepositoryType, name, RegistryActionNames.Format(actions)));
            }
        }

        access.AddRange(registry.Select(name => new TokenAccess(TokenAccess.RegistryType, name, ["*"])));
        return access;
    }
}
