using System.Text.Json.Nodes;

namespace Bulwark.Policy.Kubernetes;

/// <summary>One YAML document (or a whole JSON file) of a manifest file.</summary>
/// <param name="Source">The file it was read from.</param>
/// <param name="Document">1-based position in the file.</param>
/// <param name="Line">1-based line the document's content starts at; 0 when unknown.</param>
/// <param name="Root">The document as JSON; null for an empty document.</param>
public sealed record ManifestDocument(string Source, int Document, long Line, JsonNode? Root);
