using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Server.Scanning;

/// <summary>Source-generated JSON for stored inventories (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageInventory))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(Bulwark.Vulnerabilities.Scanning.ScanFinding))]
[JsonSerializable(typeof(Bulwark.Vulnerabilities.Scanning.ScannedPackage))]
[JsonSerializable(typeof(Bulwark.Vulnerabilities.Matching.Finding))]
public sealed partial class ScanJsonContext : JsonSerializerContext;
