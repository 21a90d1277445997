namespace Bulwark.LoadTool;

/// <summary>The command-line and report names of <see cref="ScenarioKind"/> values.</summary>
public static class ScenarioNames
{
    public static readonly IReadOnlyList<(string Name, ScenarioKind Kind)> All =
    [
        ("blob-push", ScenarioKind.BlobPush),
        ("blob-push-chunked", ScenarioKind.BlobPushChunked),
        ("blob-pull", ScenarioKind.BlobPull),
        ("manifest-put", ScenarioKind.ManifestPut),
        ("manifest-get", ScenarioKind.ManifestGet),
    ];

    public static string Of(ScenarioKind kind) => All.First(entry => entry.Kind == kind).Name;

    public static bool TryParse(string name, out ScenarioKind kind)
    {
        foreach (var entry in All)
        {
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                kind = entry.Kind;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static bool MovesBlobs(ScenarioKind kind) =>
        kind is ScenarioKind.BlobPush or ScenarioKind.BlobPushChunked or ScenarioKind.BlobPull;
}
