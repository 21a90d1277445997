using System.Text.Json.Serialization;
using Bulwark.Identity.Tokens;

namespace Bulwark.Identity;

[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<TokenAccess>))]
[JsonSerializable(typeof(List<TokenAccess>))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;
