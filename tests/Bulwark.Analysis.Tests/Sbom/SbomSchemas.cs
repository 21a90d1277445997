using System.Text.Json.Nodes;
using Json.Schema;

namespace Bulwark.Analysis.Tests.Sbom;

/// <summary>
/// The official CycloneDX 1.6 and SPDX 2.3 JSON schemas from ../shared/data/schemas, evaluated with JsonSchema.Net.
/// The CycloneDX schema's <c>$ref</c>s to <c>spdx.schema.json</c> and <c>jsf-0.82.schema.json</c> resolve offline:
/// the sibling files are registered under their <c>$id</c>s.
/// </summary>
internal static class SbomSchemas
{
    private static readonly Uri CycloneDxId = new("http://cyclonedx.org/schema/bom-1.6.schema.json");
    private static readonly Uri SpdxId = new("http://spdx.org/rdf/terms/2.3");

    private static readonly Lazy<Dictionary<Uri, JsonSchema>> Schemas = new(() => new Dictionary<Uri, JsonSchema>
    {
        [CycloneDxId] = Read("cyclonedx/bom-1.6.schema.json"),
        [new Uri("http://cyclonedx.org/schema/spdx.schema.json")] = Read("cyclonedx/spdx.schema.json"),
        [new Uri("http://cyclonedx.org/schema/jsf-0.82.schema.json")] = Read("cyclonedx/jsf-0.82.schema.json"),
        [SpdxId] = Read("spdx/spdx-schema-2.3.json"),
    });

    public static string Directory { get; } = Path.GetFullPath(Path.Combine(Fixtures.TestPaths.RepositoryRoot, "..", "shared", "data", "schemas"));

    /// <summary>The errors of <paramref name="json"/> against the CycloneDX 1.6 schema (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateCycloneDx(string json) => Evaluate(CycloneDxId, json);

    /// <summary>The errors of <paramref name="json"/> against the SPDX 2.3 schema (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateSpdx(string json) => Evaluate(SpdxId, json);

    private static List<string> Evaluate(Uri id, string json)
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        foreach (var (uri, schema) in Schemas.Value)
        {
            options.SchemaRegistry.Register(uri, schema);
        }

        var result = Schemas.Value[id].Evaluate(JsonNode.Parse(json), options);
        return result.IsValid ? []
            : [.. (result.Details ?? []).Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))];
    }

    private static JsonSchema Read(string relative) => JsonSchema.FromText(File.ReadAllText(Path.Combine(Directory, relative)));
}
