using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Identity.Principals;

/// <summary>The wire names of <see cref="PrincipalKind"/> in tokens and the management API.</summary>
public static class PrincipalKinds
{
    public static string Format(PrincipalKind kind) => kind switch
    {
        PrincipalKind.User => "user",
        PrincipalKind.ServicePrincipal => "service-principal",
        PrincipalKind.RepositoryToken => "repository-token",
        PrincipalKind.Anonymous => "anonymous",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out PrincipalKind? kind)
    {
        kind = text switch
        {
            "user" => PrincipalKind.User,
            "service-principal" => PrincipalKind.ServicePrincipal,
            "repository-token" => PrincipalKind.RepositoryToken,
            "anonymous" => PrincipalKind.Anonymous,
            _ => null,
        };
        return kind is not null;
    }
}
