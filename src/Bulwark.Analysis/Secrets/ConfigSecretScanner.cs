using Bulwark.Oci;

namespace Bulwark.Analysis.Secrets;

/// <summary>
/// Searches the image config for secrets with the same rules as files: each <c>Env</c> entry, each label
/// (<c>key=value</c>) and each history <c>created_by</c> (build arguments and <c>ENV</c> steps land there).
/// Also returns a copy of the config with every secret found redacted in place, so that the inventory (which
/// carries the config) never stores a secret in full.
/// </summary>
internal static class ConfigSecretScanner
{
    public static (IReadOnlyList<SecretFinding> Findings, ImageConfig? Redacted) Scan(ImageConfig? config, SecretScanner scanner, int layerCount)
    {
        var findings = new List<SecretFinding>();
        if (config is null || !scanner.Options.Enabled)
        {
            return (findings, config);
        }

        var env = new List<string>();
        foreach (var entry in config.Config?.Env ?? [])
        {
            var name = entry.Split('=', 2)[0];
            env.Add(Add(entry, $"config.Env[{name}]", null));
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in config.Config?.Labels ?? new Dictionary<string, string>())
        {
            var redacted = Add($"{key}={value}", $"config.Labels[{key}]", null);
            labels[key] = redacted.StartsWith(key + "=", StringComparison.Ordinal) ? redacted[(key.Length + 1)..] : SecretRedaction.Mask;
        }

        var history = new List<ImageHistoryEntry>();

        // History entries name their layer only when they line up one to one with the layers.
        var linesUp = config.LayerHistory().Count == layerCount;
        var layer = 0;
        for (var i = 0; i < (config.History?.Count ?? 0); i++)
        {
            var entry = config.History![i];
            int? layerIndex = entry.EmptyLayer == true ? null : layer++;
            layerIndex = linesUp ? layerIndex : null;
            history.Add(entry.CreatedBy is { } createdBy ? entry with { CreatedBy = Add(createdBy, $"history[{i}].created_by", layerIndex) } : entry);
        }

        if (findings.Count == 0)
        {
            return (findings, config);
        }

        var execution = config.Config is null ? null : config.Config with { Env = config.Config.Env is null ? null : env, Labels = config.Config.Labels is null ? null : labels };
        return (findings, config with { Config = execution, History = config.History is null ? null : history });

        // Reports the secrets of one value and returns the value with them redacted.
        string Add(string text, string location, int? layerIndex)
        {
            var spans = new List<(int Start, int Length)>();
            foreach (var match in scanner.Scan(text, out _, spans))
            {
                findings.Add(SecretFinding.From(match, null, location, layerIndex));
            }

            if (spans.Count == 0)
            {
                return text;
            }

            var builder = new System.Text.StringBuilder(text);
            var limit = text.Length;
            foreach (var (start, length) in spans.OrderByDescending(s => s.Start))
            {
                if (start + length <= limit)
                {
                    builder.Remove(start, length).Insert(start, SecretRedaction.Redact(text.Substring(start, length)));
                    limit = start;
                }
            }

            return builder.ToString();
        }
    }
}
