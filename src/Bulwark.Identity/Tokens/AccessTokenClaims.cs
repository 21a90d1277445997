using Bulwark.Identity.Permissions;
using Bulwark.Identity.Principals;

namespace Bulwark.Identity.Tokens;

/// <summary>What a verified access token says: who it was issued to, until when, and what it grants.</summary>
public sealed record AccessTokenClaims(PrincipalRef Principal, string TokenId, DateTimeOffset ExpiresAt, IReadOnlyList<TokenAccess> Access)
{
    /// <summary>The actions the token grants on a repository.</summary>
    public RegistryActions ActionsOn(string repository)
    {
        var actions = RegistryActions.None;
        foreach (var entry in Access)
        {
            if (entry.Type == TokenAccess.RepositoryType && string.Equals(entry.Name, repository, StringComparison.Ordinal))
            {
                foreach (var name in entry.Actions)
                {
                    if (RegistryActionNames.TryParseOne(name, out var action))
                    {
                        actions |= action;
                    }
                }
            }
        }

        return actions;
    }

    /// <summary>Whether the token grants a registry-wide resource (<c>catalog</c>, <c>management</c>).</summary>
    public bool Grants(string registryResource) =>
        Access.Any(a => a.Type == TokenAccess.RegistryType && a.Name == registryResource && a.Actions.Contains("*"));
}
