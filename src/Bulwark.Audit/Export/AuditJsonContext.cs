using System.Text.Json.Serialization;

namespace Bulwark.Audit.Export;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditExportLine))]
[JsonSerializable(typeof(AuditCheckpointDocument))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
