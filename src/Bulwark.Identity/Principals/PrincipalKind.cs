using System.Text.Json.Serialization;

namespace Bulwark.Identity.Principals;

/// <summary>Who is calling.</summary>
public enum PrincipalKind
{
    /// <summary>A person, with a password.</summary>
    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>Automation, with a client id and up to two active generated secrets.</summary>
    [JsonStringEnumMemberName("service-principal")]
    ServicePrincipal,

    /// <summary>A repository-scoped token (like an ACR token): a name and generated secrets, bound to one scope map.</summary>
    [JsonStringEnumMemberName("repository-token")]
    RepositoryToken,

    /// <summary>No credentials: may only pull repositories matching a public pattern.</summary>
    [JsonStringEnumMemberName("anonymous")]
    Anonymous,
}
