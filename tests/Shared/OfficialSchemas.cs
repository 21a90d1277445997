using System.Text.Json.Nodes;
using Json.Schema;

namespace Bulwark.Tests.Shared;

/// <summary>
/// The official JSON schemas in ../shared/data/schemas — CycloneDX 1.6, SPDX 2.3 and SARIF 2.1.0 — evaluated with
/// JsonSchema.Net, offline. One copy, linked into every test project that checks a document it writes.
/// </summary>
/// <remarks>
/// The CycloneDX schema's <c>$ref</c>s to <c>spdx.schema.json</c> and <c>jsf-0.82.schema.json</c> resolve because the
/// sibling files are registered under their <c>$id</c>s. The SARIF schema is draft-04, which JsonSchema.Net does not
/// implement; it uses no keyword whose meaning changed after draft-04 (no boolean exclusiveMinimum/Maximum) and no
/// <c>id</c>-based reference, so it is read as draft-07.
/// </remarks>
internal static class OfficialSchemas
{
    private static readonly Uri CycloneDxId = new("http://cyclonedx.org/schema/bom-1.6.schema.json");
    private static readonly Uri SpdxId = new("http://spdx.org/rdf/terms/2.3");
    private static readonly Uri SarifId = new("https://json.schemastore.org/sarif-2.1.0.json");

    private static readonly Lazy<Dictionary<Uri, JsonSchema>> Schemas = new(() => new Dictionary<Uri, JsonSchema>
    {
        [CycloneDxId] = Read("cyclonedx/bom-1.6.schema.json"),
        [new Uri("http://cyclonedx.org/schema/spdx.schema.json")] = Read("cyclonedx/spdx.schema.json"),
        [new Uri("http://cyclonedx.org/schema/jsf-0.82.schema.json")] = Read("cyclonedx/jsf-0.82.schema.json"),
        [SpdxId] = Read("spdx/spdx-schema-2.3.json"),
        [SarifId] = ReadDraft04AsDraft07("sarif/sarif-schema-2.1.0.json"),
    });

    /// <summary>../shared/data/schemas, found from the test assembly's directory upwards (the repository holds Bulwark.slnx).</summary>
    public static string Directory { get; } = FindSchemaDirectory();

    /// <summary>The errors of <paramref name="json"/> against the CycloneDX 1.6 schema (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateCycloneDx(string json) => Evaluate(CycloneDxId, json);

    /// <summary>The errors of <paramref name="json"/> against the SPDX 2.3 schema (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateSpdx(string json) => Evaluate(SpdxId, json);

    /// <summary>The errors of <paramref name="json"/> against the SARIF 2.1.0 schema (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateSarif(string json) => Evaluate(SarifId, json);

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

    private static JsonSchema ReadDraft04AsDraft07(string relative)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, relative)))!.AsObject();
        if ((string?)node["$schema"] != "http://json-schema.org/draft-04/schema#")
        {
            throw new InvalidOperationException($"{relative} is no longer draft-04: read it as it is");
        }

        node["$schema"] = "http://json-schema.org/draft-07/schema#";
        node.Remove("id");
        node["$id"] = SarifId.ToString();
        return JsonSchema.FromText(node.ToJsonString());
    }

    private static string FindSchemaDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bulwark.slnx")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "schemas"));
            }
        }

        throw new InvalidOperationException($"no Bulwark.slnx above {AppContext.BaseDirectory}");
    }
}
