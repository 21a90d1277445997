using System.Text.Json.Serialization;

namespace Bulwark.LoadTool;

/// <summary>Source-generated JSON for <see cref="LoadReport"/>, camelCase as jq scripts expect.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoadReport))]
public sealed partial class LoadReportJsonContext : JsonSerializerContext;
