using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// Bundler's <c>Gemfile.lock</c>: the <c>specs:</c> of the <c>GEM</c> and <c>GIT</c> sections (four-space
/// <c>name (version[-platform])</c> lines, six-space dependency lines) and the <c>DEPENDENCIES</c> section, which
/// lists the direct gems. <c>PATH</c> gems are the project's own code and skipped. Groups (dev/test) live in the
/// Gemfile, not the lock, so dev-only is unknown.
/// </summary>
public sealed class GemfileLockAnalyzer : LockfileAnalyzer
{
    public override string Name => "gemfile-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/Gemfile.lock", "**/gems.locked"];

    public override Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        var specs = new List<(string Name, string Version, string? Platform, List<string> Dependencies)>();
        var local = new HashSet<string>(StringComparer.Ordinal);
        var direct = new HashSet<string>(StringComparer.Ordinal);
        string? section = null;
        var sawSection = false;
        var lineNumber = 0;
        using var reader = new StringReader(input.Text);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line.Trim();
            if (indent == 0)
            {
                section = content;
                sawSection = true;
                continue;
            }

            if (section is null)
            {
                throw new LockfileFormatException("indented line before any section", lineNumber);
            }

            switch (section)
            {
                case "GEM" or "GIT" or "PATH" when indent == 4:
                    var (name, version) = NameAndParenthesis(content, lineNumber);
                    if (version is null)
                    {
                        throw new LockfileFormatException($"spec '{content}' has no version", lineNumber);
                    }

                    if (section == "PATH")
                    {
                        local.Add(name);
                        break;
                    }

                    // RubyGems versions have no '-': what follows one is the platform (nokogiri 1.16.0-x86_64-linux).
                    var dash = version.IndexOf('-', StringComparison.Ordinal);
                    specs.Add((name, dash < 0 ? version : version[..dash], dash < 0 ? null : version[(dash + 1)..], []));
                    break;
                case "GEM" or "GIT" when indent == 6 && specs.Count > 0:
                    specs[^1].Dependencies.Add(NameAndParenthesis(content, lineNumber).Name);
                    break;
                case "DEPENDENCIES" when indent == 2:
                    direct.Add(NameAndParenthesis(content, lineNumber).Name.TrimEnd('!'));
                    break;
            }
        }

        if (!sawSection)
        {
            throw new LockfileFormatException("no sections: not a Gemfile.lock", 1);
        }

        var byName = specs.ToLookup(s => s.Name, StringComparer.Ordinal);
        var merger = new PackageMerger();
        foreach (var (name, version, platform, dependencies) in specs)
        {
            merger.Add(NewPackage(input, PackageTypes.Gem, name, version, Purl(name, version, platform),
                [.. dependencies.SelectMany(d => byName[d]).Select(d => Purl(d.Name, d.Version, d.Platform)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                direct: direct.Contains(name)));
        }

        merger.CopyTo(result);
        return Task.CompletedTask;
    }

    private static string Purl(string name, string version, string? platform) =>
        PackageUrl.Create(PackageTypes.Gem, null, name, version, [new("platform", platform)]);

    /// <summary><c>name (text)</c> → (name, text); <c>name</c> → (name, null).</summary>
    private static (string Name, string? Parenthesis) NameAndParenthesis(string content, int lineNumber)
    {
        var open = content.IndexOf(" (", StringComparison.Ordinal);
        if (open < 0)
        {
            return (content, null);
        }

        if (!content.EndsWith(')'))
        {
            throw new LockfileFormatException($"'{content}' has an unclosed parenthesis", lineNumber);
        }

        return (content[..open], content[(open + 2)..^1]);
    }
}
