using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Server.Configuration;

/// <summary>Flattens a YAML document into configuration keys (<c>database:provider</c>, <c>list:0</c>…).</summary>
public sealed class YamlConfigurationProvider(YamlConfigurationSource source) : FileConfigurationProvider(source)
{
    public override void Load(Stream stream)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(stream);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ServerConfigurationException($"configuration file is not valid YAML (line {e.Start.Line}): {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some malformed documents (an unclosed flow sequence) this way, without a position.
            throw new ServerConfigurationException("configuration file is not valid YAML", e);
        }

        if (yaml.Documents.Count > 0)
        {
            Flatten(yaml.Documents[0].RootNode, null, data);
        }

        Data = data;
    }

    private static void Flatten(YamlNode node, string? prefix, Dictionary<string, string?> data)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? string.Empty;
                    Flatten(value, prefix is null ? name : prefix + ConfigurationPath.KeyDelimiter + name, data);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], prefix + ConfigurationPath.KeyDelimiter + i.ToString(System.Globalization.CultureInfo.InvariantCulture), data);
                }

                break;
            case YamlScalarNode scalar when prefix is not null:
                data[prefix] = scalar.Value;
                break;
        }
    }
}
