using System.Text;

namespace Bulwark.Analysis.OperatingSystems;

/// <summary>Parses os-release (freedesktop os-release(5)): <c>KEY=value</c> lines, values optionally quoted, shell escapes in double quotes.</summary>
public static class OsReleaseParser
{
    public static Dictionary<string, string> Parse(string content)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            fields[line[..equals].Trim()] = Unquote(line[(equals + 1)..].Trim());
        }

        return fields;
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1];
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            var builder = new StringBuilder(value.Length);
            for (var i = 1; i < value.Length - 1; i++)
            {
                if (value[i] == '\\' && i + 1 < value.Length - 1)
                {
                    i++;
                }

                builder.Append(value[i]);
            }

            return builder.ToString();
        }

        return value;
    }
}
