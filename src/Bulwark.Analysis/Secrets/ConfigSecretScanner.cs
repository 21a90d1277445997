using Bulwark.Oci;

namespace Bulwark.Analysis.Secrets;

/// <summary>
/// Searches the image config for secrets with the same rules as files: each <c>Env</c> entry, each label
/// (<c>key=value</c>) and each history <c>created_by</c> (build arguments and <c>ENV</c> steps land there).
/// </summary>
internal static class ConfigSecretScanner
{
    public static IReadOnlyList<SecretFinding> Scan(ImageConfig? config, SecretScanner scanner, int layerCount)
    {
        var findings = new List<SecretFinding>();
        if (config is null || !scanner.Options.Enabled)
        {
            return findings;
        }

        foreach (var env in config.Config?.Env ?? [])
        {
            var name = env.Split('=', 2)[0];
            Add(env, $"config.Env[{name}]", null);
        }

        foreach (var (key, value) in config.Config?.Labels ?? new Dictionary<string, string>())
        {
            Add($"{key}={value}", $"config.Labels[{key}]", null);
        }

        // History entries name their layer only when they line up one to one with the layers.
        var linesUp = config.LayerHistory().Count == layerCount;
        var layer = 0;
        for (var i = 0; i < (config.History?.Count ?? 0); i++)
        {
            var entry = config.History![i];
            int? layerIndex = entry.EmptyLayer == true ? null : layer++;
            layerIndex = linesUp ? layerIndex : null;
            if (entry.CreatedBy is { } createdBy)
            {
                Add(createdBy, $"history[{i}].created_by", layerIndex);
            }
        }

        return findings;

        void Add(string text, string location, int? layerIndex)
        {
            foreach (var match in scanner.Scan(text, out _))
            {
                findings.Add(SecretFinding.From(match, null, location, layerIndex));
            }
        }
    }
}
