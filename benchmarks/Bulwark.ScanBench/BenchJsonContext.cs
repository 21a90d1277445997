using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.ScanBench;

/// <summary>Source-generated JSON for the <c>--json</c> report.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
