namespace Bulwark.Identity.Permissions;

/// <summary>Everything one principal may do: repository grants and whether it is a system admin.</summary>
public sealed class PermissionSet
{
    public PermissionSet(IEnumerable<RepositoryGrant> grants, bool isSystemAdmin)
    {
        Grants = [.. grants];
        IsSystemAdmin = isSystemAdmin;
    }

    public static PermissionSet Empty { get; } = new([], false);

    public IReadOnlyList<RepositoryGrant> Grants { get; }

    public bool IsSystemAdmin { get; }

    /// <summary>The union of the actions granted on <paramref name="repository"/>.</summary>
    public RegistryActions ActionsOn(string repository)
    {
        if (IsSystemAdmin)
        {
            return RegistryActions.All | RegistryActions.QuarantineRead;
        }

        var actions = RegistryActions.None;
        foreach (var grant in Grants)
        {
            if (grant.Pattern.Matches(repository))
            {
                actions |= grant.Actions;
            }
        }

        return actions;
    }

    public bool Allows(string repository, RegistryActions required) =>
        required != RegistryActions.None && (ActionsOn(repository) & required) == required;
}
