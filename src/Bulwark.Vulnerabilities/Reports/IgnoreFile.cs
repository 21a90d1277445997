using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// Reads an ignore file (<c>.bulwarkignore</c>): a YAML list of entries
/// <c>{id, reason, package?, purl?, path?, expires?}</c>. Any deviation — an unknown key, a missing reason, a date
/// that is not <c>YYYY-MM-DD</c> — is an error naming the line, never a silently skipped entry.
/// </summary>
public static class IgnoreFile
{
    /// <summary>Ignore files are small; a larger one is refused rather than parsed.</summary>
    public const int MaxBytes = 1024 * 1024;

    public const int MaxEntries = 10_000;

    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "id", "reason", "package", "purl", "path", "expires" };

    /// <exception cref="IgnoreFileException">The file is malformed.</exception>
    public static async Task<IReadOnlyList<IgnoreRule>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxBytes)
        {
            throw new IgnoreFileException($"{path}: over the limit of {MaxBytes} bytes");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(text);
        }
        catch (IgnoreFileException e)
        {
            throw new IgnoreFileException($"{path}:{e.Message}", e);
        }
    }

    /// <exception cref="IgnoreFileException">The text is malformed; the message starts with the line number.</exception>
    public static IReadOnlyList<IgnoreRule> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new IgnoreFileException($"{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (stream.Documents.Count > 1)
        {
            throw new IgnoreFileException($"{stream.Documents[1].RootNode.Start.Line}: one YAML document expected");
        }

        if (stream.Documents[0].RootNode is not YamlSequenceNode list)
        {
            throw new IgnoreFileException($"{stream.Documents[0].RootNode.Start.Line}: the file must be a YAML list of entries (- id: … reason: …)");
        }

        if (list.Children.Count > MaxEntries)
        {
            throw new IgnoreFileException($"{list.Start.Line}: more than {MaxEntries} entries");
        }

        return [.. list.Children.Select(Entry)];
    }

    private static IgnoreRule Entry(YamlNode node)
    {
        var line = (int)node.Start.Line;
        if (node is not YamlMappingNode map)
        {
            throw new IgnoreFileException($"{line}: each entry must be a mapping with 'id' and 'reason'");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!Keys.Contains(key))
            {
                throw new IgnoreFileException($"{keyNode.Start.Line}: unknown key '{key}' (allowed: id, reason, package, purl, path, expires)");
            }

            if (valueNode is not YamlScalarNode { Value: { } value } || string.IsNullOrWhiteSpace(value))
            {
                throw new IgnoreFileException($"{valueNode.Start.Line}: '{key}' must be a non-empty text");
            }

            values[key] = value.Trim();
        }

        if (!values.TryGetValue("id", out var id))
        {
            throw new IgnoreFileException($"{line}: the entry has no 'id'");
        }

        if (!values.TryGetValue("reason", out var reason))
        {
            throw new IgnoreFileException($"{line}: the entry for {id} has no 'reason' (every ignore must say why)");
        }

        DateOnly? expires = null;
        if (values.TryGetValue("expires", out var date))
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                throw new IgnoreFileException($"{line}: 'expires' of {id} must be a date YYYY-MM-DD, not '{date}'");
            }

            expires = parsed;
        }

        return new IgnoreRule
        {
            Id = id,
            Reason = reason,
            Package = values.GetValueOrDefault("package"),
            Purl = values.GetValueOrDefault("purl"),
            Path = values.GetValueOrDefault("path"),
            Expires = expires,
            Line = line,
        };
    }
}
