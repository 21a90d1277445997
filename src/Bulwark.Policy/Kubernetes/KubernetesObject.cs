using System.Text.Json.Nodes;

namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// One Kubernetes object from a manifest: a document, or an item of a <c>kind: List</c> document.
/// </summary>
/// <param name="Item">0-based index within the <c>List</c> document it came from; null for a top-level object.</param>
public sealed record KubernetesObject(string Source, int Document, int? Item, long Line, string ApiVersion, string Kind, ObjectMeta Metadata, JsonObject Json)
{
    /// <summary>The API group (<c>apps</c> for <c>apps/v1</c>, empty for the core <c>v1</c>).</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    /// <summary><c>Kind/name</c>, or <c>Kind</c> for an object without a name.</summary>
    public string DisplayName => string.IsNullOrEmpty(Metadata.Name) ? Kind : $"{Kind}/{Metadata.Name}";

    /// <summary>Where the object is, for messages: <c>file: document 2</c> or <c>file: document 1, item 3</c>.</summary>
    public string Location => Item is { } item ? $"{Source}: document {Document}, item {item + 1}" : $"{Source}: document {Document}";
}
