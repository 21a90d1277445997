using System.Text.Json.Serialization;

namespace Bulwark.Server.Policy;

/// <summary>Source-generated JSON for what the policy store keeps in columns.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
