using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// pip requirements files (<c>requirements.txt</c>, <c>requirements-dev.txt</c>, <c>requirements/*.txt</c>): only
/// exact pins (<c>name==1.2.3</c>, <c>name===1.2.3</c>) are packages; any other requirement is reported as an
/// unpinned warning. Comments, extras, environment markers, per-line options (<c>--hash</c>) and <c>\</c> line
/// continuations are understood; <c>-r</c>/<c>--requirement</c> includes are followed inside the scanned tree only
/// (each package's <c>FoundIn</c> is the file that names it); constraints files (<c>-c</c>) install nothing and are
/// not followed.
/// </summary>
public sealed partial class RequirementsAnalyzer : LockfileAnalyzer
{
    private const int MaxIncludeDepth = 16;

    public override string Name => "pip-requirements";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/*requirements*.txt", "**/requirements/*.txt"];

    public override async Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal) { input.Path };
        await ParseFileAsync(input, input.Path, input.Text, result, visited, 0, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ParseFileAsync(LockfileInput root, string path, string text, LockfileParseResult result, HashSet<string> visited,
        int depth, CancellationToken cancellationToken)
    {
        var file = path == root.Path ? root : new LockfileInput(path, text);
        foreach (var (lineNumber, line) in LogicalLines(text))
        {
            if (line.StartsWith('-'))
            {
                if (IncludeTarget(line) is not { } include)
                {
                    continue;
                }

                // Relative to the including file, resolved inside the scanned root: "../" above it is refused.
                var target = file.Combine(include);
                if (target is null)
                {
                    result.Warn($"{path}:{lineNumber}: include '{include}' is outside the scanned directory; not followed");
                }
                else if (depth >= MaxIncludeDepth)
                {
                    result.Warn($"{path}:{lineNumber}: include '{include}' is nested more than {MaxIncludeDepth} deep; not followed");
                }
                else if (visited.Add(target))
                {
                    if (await root.ReadFileAsync(target, cancellationToken).ConfigureAwait(false) is { } included)
                    {
                        await ParseFileAsync(root, target, included, result, visited, depth + 1, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        result.Warn($"{path}:{lineNumber}: included file {target} not found (only files named like *requirements*.txt or requirements/*.txt are read)");
                    }
                }

                continue;
            }

            var match = Requirement().Match(line);
            if (!match.Success)
            {
                throw new LockfileFormatException($"'{Truncate(line)}' is not a requirement", lineNumber);
            }

            var name = match.Groups["name"].Value;
            var specifier = match.Groups["spec"].Value.Trim();
            var pin = Pin().Match(specifier);
            if (!pin.Success || pin.Groups["version"].Value.Contains('*', StringComparison.Ordinal))
            {
                result.Warn($"{path}:{lineNumber}: {name} is not pinned ('{Truncate(specifier.Length == 0 ? "any version" : specifier)}'); not reported");
                continue;
            }

            var version = pin.Groups["version"].Value;
            result.Add(NewPackage(file, PackageTypes.PyPI, name, version, PythonNames.Purl(name, version)));
        }
    }

    /// <summary><c>-r FILE</c>, <c>-rFILE</c>, <c>--requirement FILE</c>, <c>--requirement=FILE</c>; null for any other option.</summary>
    private static string? IncludeTarget(string line)
    {
        foreach (var option in new[] { "--requirement", "-r" })
        {
            if (line.StartsWith(option, StringComparison.Ordinal))
            {
                var rest = line[option.Length..].TrimStart('=', ' ', '\t').Trim();
                return rest.Length == 0 || (option == "--requirement" && !(line.Length > option.Length && line[option.Length] is '=' or ' ' or '\t')) ? null : rest;
            }
        }

        return null;
    }

    /// <summary>Lines with continuations joined and comments, per-line options and markers removed; empty lines dropped.</summary>
    private static IEnumerable<(int Line, string Text)> LogicalLines(string text)
    {
        var builder = new StringBuilder();
        var start = 0;
        var number = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } raw)
        {
            number++;
            if (builder.Length == 0)
            {
                start = number;
            }

            // pip: a comment is '#' at the start or after whitespace, and ends the line (continuations included).
            var comment = Comment().Match(raw);
            var line = comment.Success ? raw[..comment.Index] : raw;
            if (!comment.Success && line.EndsWith('\\'))
            {
                builder.Append(line[..^1]).Append(' ');
                continue;
            }

            builder.Append(line);
            var logical = Clean(builder.ToString());
            builder.Clear();
            if (logical.Length > 0)
            {
                yield return (start, logical);
            }
        }

        if (builder.Length > 0 && Clean(builder.ToString()) is { Length: > 0 } last)
        {
            yield return (start, last);
        }
    }

    private static string Clean(string line)
    {
        var text = line.Trim();
        if (text.StartsWith('-'))
        {
            return text;
        }

        // Per-requirement options (--hash=…, --config-settings) follow the requirement; markers follow ';'.
        var option = OptionStart().Match(text);
        if (option.Success)
        {
            text = text[..option.Index];
        }

        var marker = text.IndexOf(';', StringComparison.Ordinal);
        return (marker < 0 ? text : text[..marker]).Trim();
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";

    [GeneratedRegex(@"(^|\s)#")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\s--?[A-Za-z]")]
    private static partial Regex OptionStart();

    // PEP 508 name, optional [extras], then the version specifier (or a URL with '@').
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(?<spec>.*)$")]
    private static partial Regex Requirement();

    [GeneratedRegex(@"^===?\s*(?<version>[^\s,;=<>!~]+)$")]
    private static partial Regex Pin();
}
