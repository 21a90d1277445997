using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// <c>go.mod</c>: the <c>require</c> directives (one line or a block), <c>// indirect</c> marking transitive
/// requirements (complete since Go 1.17's module graph pruning), and <c>replace</c> directives — a replacement by
/// another module version is reported as that module, a replacement by a local directory is the project's own
/// code and drops the requirement. <c>go.sum</c> lists every module whose checksum was ever needed, not what the
/// build uses, and is not read. <c>exclude</c> and <c>retract</c> do not add modules.
/// </summary>
public sealed class GoModAnalyzer : LockfileAnalyzer
{
    public override string Name => "go-mod";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/go.mod"];

    public override Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        var requires = new List<(string Path, string Version, bool Indirect)>();
        var replaces = new List<(string OldPath, string? OldVersion, string NewPath, string? NewVersion)>();
        string? block = null;
        var lineNumber = 0;
        using var reader = new StringReader(input.Text);
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var comment = raw.IndexOf("//", StringComparison.Ordinal);
            var indirect = comment >= 0 && raw[(comment + 2)..].Trim().StartsWith("indirect", StringComparison.Ordinal);
            var line = (comment >= 0 ? raw[..comment] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var fields = Fields(line, lineNumber);
            if (block is not null)
            {
                if (fields is [")"])
                {
                    block = null;
                    continue;
                }

                Directive(block, fields);
                continue;
            }

            if (fields.Count == 2 && fields[1] == "(")
            {
                block = fields[0];
                continue;
            }

            Directive(fields[0], fields[1..]);

            void Directive(string verb, List<string> arguments)
            {
                switch (verb)
                {
                    case "require":
                        if (arguments.Count != 2)
                        {
                            throw new LockfileFormatException("require needs a module path and a version", lineNumber);
                        }

                        requires.Add((arguments[0], arguments[1], indirect));
                        break;
                    case "replace":
                        var arrow = arguments.IndexOf("=>");
                        if (arrow is < 1 or > 2 || arguments.Count - arrow - 1 is < 1 or > 2)
                        {
                            throw new LockfileFormatException("replace needs 'old [version] => new [version]'", lineNumber);
                        }

                        replaces.Add((arguments[0], arrow == 2 ? arguments[1] : null, arguments[arrow + 1], arguments.Count - arrow - 1 == 2 ? arguments[^1] : null));
                        break;
                    case "module" or "go" or "toolchain" or "exclude" or "retract" or "godebug" or "tool" or "ignore":
                        break;
                    default:
                        throw new LockfileFormatException($"unknown directive '{verb}'", lineNumber);
                }
            }
        }

        if (block is not null)
        {
            throw new LockfileFormatException($"{block} block is not closed", lineNumber);
        }

        var merger = new PackageMerger();
        foreach (var (path, version, indirect) in requires)
        {
            // A replace with a version applies to that version only; without one, to every version (go.mod reference).
            var replace = replaces.LastOrDefault(r => r.OldPath == path && r.OldVersion == version);
            if (replace.OldPath is null)
            {
                replace = replaces.LastOrDefault(r => r.OldPath == path && r.OldVersion is null);
            }

            var (name, resolved) = (path, version);
            if (replace.OldPath is not null)
            {
                if (replace.NewVersion is null)
                {
                    continue;
                }

                (name, resolved) = (replace.NewPath, replace.NewVersion);
            }

            merger.Add(NewPackage(input, PackageTypes.Golang, name, resolved, Purl(name, resolved), direct: !indirect));
        }

        merger.CopyTo(result);
        return Task.CompletedTask;
    }

    /// <summary>purl-spec golang: the module path's last segment is the name, the rest the namespace.</summary>
    private static string Purl(string path, string version)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? PackageUrl.Create(PackageTypes.Golang, null, path, version)
            : PackageUrl.Create(PackageTypes.Golang, path[..slash], path[(slash + 1)..], version);
    }

    /// <summary>Space-separated fields; a field may be a Go string (<c>"…"</c> or <c>`…`</c>).</summary>
    private static List<string> Fields(string line, int lineNumber)
    {
        var fields = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            if (char.IsWhiteSpace(line[i]))
            {
                i++;
                continue;
            }

            if (line[i] is '"' or '`')
            {
                var close = line.IndexOf(line[i], i + 1);
                if (close < 0)
                {
                    throw new LockfileFormatException("unterminated quoted string", lineNumber);
                }

                fields.Add(line[(i + 1)..close]);
                i = close + 1;
                continue;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            fields.Add(line[start..i]);
        }

        return fields;
    }
}
