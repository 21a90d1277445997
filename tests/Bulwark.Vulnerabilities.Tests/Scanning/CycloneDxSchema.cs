using System.Text.Json.Nodes;
using Json.Schema;

namespace Bulwark.Vulnerabilities.Tests.Scanning;

/// <summary>
/// The official CycloneDX 1.6 JSON schema from ../shared/data/schemas/cyclonedx, with the two schemas it references
/// registered under their <c>$id</c>s so that evaluation is offline (as the SBOM tests of Bulwark.Analysis do).
/// </summary>
internal static class CycloneDxSchema
{
    private static readonly Uri Id = new("http://cyclonedx.org/schema/bom-1.6.schema.json");

    private static readonly Lazy<Dictionary<Uri, JsonSchema>> Schemas = new(() => new Dictionary<Uri, JsonSchema>
    {
        [Id] = Read("bom-1.6.schema.json"),
        [new Uri("http://cyclonedx.org/schema/spdx.schema.json")] = Read("spdx.schema.json"),
        [new Uri("http://cyclonedx.org/schema/jsf-0.82.schema.json")] = Read("jsf-0.82.schema.json"),
    });

    /// <summary>The errors of <paramref name="json"/> against the CycloneDX 1.6 schema (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(string json)
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        foreach (var (uri, schema) in Schemas.Value)
        {
            options.SchemaRegistry.Register(uri, schema);
        }

        var result = Schemas.Value[Id].Evaluate(JsonNode.Parse(json), options);
        return result.IsValid ? []
            : [.. (result.Details ?? []).Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))];
    }

    private static JsonSchema Read(string name) =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(SharedData.Directory, "schemas", "cyclonedx", name)));
}
