using System.Text.Json.Serialization;

namespace Bulwark.Registry;

/// <summary>Source-generated JSON for the registry's own documents.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Http.ErrorBody))]
[JsonSerializable(typeof(Http.TagList))]
[JsonSerializable(typeof(Http.Catalog))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
