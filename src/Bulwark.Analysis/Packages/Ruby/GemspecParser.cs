using System.Text.RegularExpressions;

namespace Bulwark.Analysis.Packages.Ruby;

/// <summary>
/// Reads the literal assignments of an installed gemspec stub (<c>Gem::Specification.new do |s|</c>,
/// <c>s.name = "rack".freeze</c>, <c>s.version = "2.2.22"</c>, <c>s.licenses = ["MIT".freeze]</c>) with regular
/// expressions: a gemspec is Ruby code and is never evaluated.
/// </summary>
public static partial class GemspecParser
{
    public sealed record Gem(string Name, string Version, IReadOnlyList<string> Licenses);

    public static Gem? Parse(string text)
    {
        var header = HeaderPattern().Match(text);
        if (!header.Success)
        {
            return null;
        }

        var variable = Regex.Escape(header.Groups["var"].Value);
        var name = Assignment(text, variable, "name");
        var version = Assignment(text, variable, "version");
        if (name is null || version is null)
        {
            return null;
        }

        var licenses = new List<string>();
        var list = Regex.Match(text, $@"^\s*{variable}\.licenses\s*=\s*\[(?<list>[^\]\n]*)\]", RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (list.Success)
        {
            licenses.AddRange(StringLiteralPattern().Matches(list.Groups["list"].Value).Select(m => m.Groups["value"].Value));
        }
        else if (Assignment(text, variable, "license") is { } single)
        {
            licenses.Add(single);
        }

        return new Gem(name, version, licenses);
    }

    /// <summary><c>VAR.FIELD = "value"</c>, optionally <c>.freeze</c>d or wrapped in <c>Gem::Version.new(…)</c>.</summary>
    private static string? Assignment(string text, string variable, string field)
    {
        var match = Regex.Match(text,
            $@"^\s*{variable}\.{field}\s*=\s*(?:Gem::Version\.new\(\s*)?[""'](?<value>[^""'\n]+)[""']",
            RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups["value"].Value.Trim() : null;
    }

    [GeneratedRegex(@"Gem::Specification\.new\s+do\s*\|\s*(?<var>\w+)\s*\|", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"[""'](?<value>[^""'\n]+)[""']", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex StringLiteralPattern();
}
