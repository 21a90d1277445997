using System.Text.Json.Serialization;

namespace Bulwark.Identity.Tokens;

/// <summary>One entry of a token's <c>access</c> claim (distribution token spec): a resource and the actions granted on it.</summary>
public sealed record TokenAccess(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("actions")] IReadOnlyList<string> Actions)
{
    public const string RepositoryType = "repository";
    public const string RegistryType = "registry";
    public const string Catalog = "catalog";

    /// <summary>The management API (<c>registry:management:*</c>), granted to system admins only.</summary>
    public const string Management = "management";
}
