using Bulwark.Identity.Permissions;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Tokens;

namespace Bulwark.Identity.Tests;

public sealed class PermissionModelTests
{
    private static readonly PrincipalRef Alice = new(Guid.NewGuid(), PrincipalKind.User, "alice");

    [Theory]
    [InlineData("reader", RegistryActions.ContentRead | RegistryActions.MetadataRead)]
    [InlineData("pusher", RegistryActions.ContentRead | RegistryActions.MetadataRead | RegistryActions.ContentWrite)]
    [InlineData("maintainer", RegistryActions.All)]
    [InlineData("admin", RegistryActions.All)]
    [InlineData("quarantine-reader", RegistryActions.ContentRead | RegistryActions.MetadataRead | RegistryActions.QuarantineRead)]
    public void ActionsOf_BuiltInRole_GrantsDocumentedActions(string role, RegistryActions expected) =>
        Assert.Equal(expected, BuiltInRoles.ActionsOf(role));

    [Theory]
    [InlineData("signer")]
    [InlineData("owner")]
    public void ActionsOf_ReservedOrUnknownRole_GrantsNothing(string role) => Assert.Null(BuiltInRoles.ActionsOf(role));

    [Fact]
    public void BuiltInRoles_ReservedNamesAreBuiltIn()
    {
        Assert.True(BuiltInRoles.IsReserved("signer"));
        Assert.False(BuiltInRoles.IsReserved("quarantine-reader"));
        Assert.True(BuiltInRoles.IsBuiltIn("signer"));
        Assert.False(BuiltInRoles.IsBuiltIn("ci-pushers"));
    }

    [Fact]
    public void ActionsOn_UnionOfMatchingGrantsOnly()
    {
        var set = new PermissionSet(
            [
                new RepositoryGrant(RepositoryPattern.Parse("team-a/*"), BuiltInRoles.ActionsOf("pusher")!.Value),
                new RepositoryGrant(RepositoryPattern.Parse("shared/**"), RegistryActions.ContentRead),
            ],
            isSystemAdmin: false);
        Assert.Equal(BuiltInRoles.ActionsOf("pusher"), set.ActionsOn("team-a/app"));
        Assert.Equal(RegistryActions.None, set.ActionsOn("team-b/app"));
        Assert.Equal(RegistryActions.ContentRead, set.ActionsOn("shared/base/debian"));
        Assert.False(set.Allows("team-a/app", RegistryActions.ContentDelete));
        Assert.False(set.Allows("team-a/app", RegistryActions.None));
    }

    [Fact]
    public void ActionsOn_SystemAdmin_HasEverything() =>
        Assert.Equal(RegistryActions.All | RegistryActions.QuarantineRead, new PermissionSet([], isSystemAdmin: true).ActionsOn("any/repo"));

    [Theory]
    [InlineData("pull", RegistryActions.ContentRead | RegistryActions.MetadataRead | RegistryActions.QuarantineRead)]
    [InlineData("push", RegistryActions.ContentWrite)]
    [InlineData("delete", RegistryActions.ContentDelete)]
    [InlineData("*", RegistryActions.All)]
    [InlineData("metadata/write", RegistryActions.MetadataWrite)]
    [InlineData("admin", RegistryActions.None)]
    public void FromScopeAction_MapsDockerActions(string action, RegistryActions expected) =>
        Assert.Equal(expected, RegistryActionNames.FromScopeAction(action));

    [Fact]
    public void Grant_IsIntersectionOfRequestedAndHeld()
    {
        var set = new PermissionSet([new RepositoryGrant(RepositoryPattern.Parse("team-a/*"), BuiltInRoles.ActionsOf("reader")!.Value)], false);
        var access = AccessGrantor.Grant(Alice, set, TokenScope.ParseAll(["repository:team-a/app:pull,push", "repository:team-b/app:pull"]));
        var only = Assert.Single(access);
        Assert.Equal("team-a/app", only.Name);
        Assert.Equal(["content/read", "metadata/read"], only.Actions);
    }

    [Fact]
    public void Grant_NothingRequested_GrantsNothingEvenToAdmin() =>
        Assert.Empty(AccessGrantor.Grant(Alice, new PermissionSet([], true), []));

    [Fact]
    public void Grant_CatalogForSignedInOnly_ManagementForSystemAdminOnly()
    {
        var scopes = TokenScope.ParseAll(["registry:catalog:* registry:management:*"]);
        var user = AccessGrantor.Grant(Alice, PermissionSet.Empty, scopes);
        Assert.Equal(["catalog"], user.Select(a => a.Name));
        var admin = AccessGrantor.Grant(Alice, new PermissionSet([], true), scopes);
        Assert.Equal(["catalog", "management"], admin.Select(a => a.Name));
        Assert.Empty(AccessGrantor.Grant(PrincipalRef.Anonymous, PermissionSet.Empty, scopes));
    }

    [Theory]
    [InlineData("repository:team-a/app:pull,push", "repository", "team-a/app", "pull,push")]
    [InlineData("repository(plugin):samalba/x:pull", "repository", "samalba/x", "pull")]
    [InlineData("repository:localhost:5000/app:pull", "repository", "localhost:5000/app", "pull")]
    [InlineData("registry:catalog:*", "registry", "catalog", "*")]
    public void TokenScope_Parses(string text, string type, string name, string actions)
    {
        Assert.True(TokenScope.TryParse(text, out var scope));
        Assert.Equal(type, scope.Type);
        Assert.Equal(name, scope.Name);
        Assert.Equal(actions.Split(','), scope.Actions);
    }

    [Theory]
    [InlineData("repository")]
    [InlineData("repository:app")]
    [InlineData("repository:app:")]
    [InlineData(":app:pull")]
    public void TokenScope_Malformed_IsRejected(string text) => Assert.False(TokenScope.TryParse(text, out _));
}
