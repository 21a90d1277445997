using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// <c>pom.xml</c>, declared versions only: the project's <c>&lt;dependencies&gt;</c>, each version taken from the
/// dependency or else from the pom's own <c>&lt;dependencyManagement&gt;</c>, with <c>${…}</c> resolved from the
/// pom's <c>&lt;properties&gt;</c> and <c>project.*</c> (<c>project.version</c>, <c>project.groupId</c>, falling back to
/// the <c>&lt;parent&gt;</c> element). Parent poms, imported BOMs, profiles and remote repositories are not
/// resolved: a dependency whose version stays unknown is a warning. Transitive dependencies are not known without
/// Maven's resolution, so every package is direct; <c>test</c> scope is dev-only. XML is read with DTD processing
/// prohibited, no resolver and a character cap.
/// </summary>
public sealed partial class MavenPomAnalyzer : LockfileAnalyzer
{
    private const int MaxPropertyDepth = 16;
    private const int MaxResolvedLength = 1024;

    public override string Name => "maven-pom";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/pom.xml"];

    public override Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxLockfileBytes,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
        };
        XDocument document;
        using (var reader = XmlReader.Create(new StringReader(input.Text), settings))
        {
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }

        var project = document.Root;
        if (project is null || project.Name.LocalName != "project")
        {
            throw new LockfileFormatException("the root element is not <project>: not a Maven pom", 1);
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in Child(project, "properties")?.Elements() ?? [])
        {
            properties[property.Name.LocalName] = property.Value.Trim();
        }

        var parent = Child(project, "parent");
        foreach (var field in new[] { "groupId", "artifactId", "version" })
        {
            if ((Text(project, field) ?? (field == "artifactId" ? null : Text(parent, field))) is { } value)
            {
                properties.TryAdd("project." + field, value);
                properties.TryAdd("pom." + field, value);
            }

            if (Text(parent, field) is { } parentValue)
            {
                properties.TryAdd("project.parent." + field, parentValue);
            }
        }

        var managed = new Dictionary<(string, string), string>();
        foreach (var dependency in Child(Child(project, "dependencyManagement"), "dependencies")?.Elements().Where(e => e.Name.LocalName == "dependency") ?? [])
        {
            if (Resolve(Text(dependency, "groupId"), properties) is { } group && Resolve(Text(dependency, "artifactId"), properties) is { } artifact
                && Resolve(Text(dependency, "version"), properties) is { } version)
            {
                managed[(group, artifact)] = version;
            }
        }

        var merger = new PackageMerger();
        foreach (var dependency in Child(project, "dependencies")?.Elements().Where(e => e.Name.LocalName == "dependency") ?? [])
        {
            var line = ((IXmlLineInfo)dependency).LineNumber;
            var group = Resolve(Text(dependency, "groupId"), properties);
            var artifact = Resolve(Text(dependency, "artifactId"), properties);
            if (group is null || artifact is null)
            {
                result.Warn($"{input.Path}:{line}: dependency {Text(dependency, "groupId")}:{Text(dependency, "artifactId")} has an unresolvable groupId or artifactId; not reported");
                continue;
            }

            var declared = Text(dependency, "version");
            var version = declared is null ? managed.GetValueOrDefault((group, artifact)) : Resolve(declared, properties);
            if (version is null)
            {
                result.Warn($"{input.Path}:{line}: {group}:{artifact} version {(declared is null ? "is not declared in this pom (parent or BOM)" : $"'{declared}' cannot be resolved from this pom")}; not reported");
                continue;
            }

            var scope = Resolve(Text(dependency, "scope"), properties) ?? "compile";
            merger.Add(NewPackage(input, PackageTypes.Maven, group + ":" + artifact, version, PackageUrl.Create(PackageTypes.Maven, group, artifact, version),
                direct: true, development: scope == "test"));
        }

        merger.CopyTo(result);
        return Task.CompletedTask;
    }

    /// <summary>The value with every <c>${name}</c> replaced; null when a property is unknown or the nesting too deep.</summary>
    private static string? Resolve(string? value, Dictionary<string, string> properties)
    {
        for (var depth = 0; value is not null && depth < MaxPropertyDepth; depth++)
        {
            // Properties that expand into each other can grow a value exponentially: a resolved value stays short.
            if (value.Length > MaxResolvedLength)
            {
                return null;
            }

            if (!value.Contains("${", StringComparison.Ordinal))
            {
                return value.Length == 0 ? null : value;
            }

            var unknown = false;
            value = PropertyReference().Replace(value, match =>
            {
                if (properties.TryGetValue(match.Groups[1].Value, out var replacement))
                {
                    return replacement;
                }

                unknown = true;
                return match.Value;
            });
            if (unknown)
            {
                return null;
            }
        }

        return null;
    }

    private static XElement? Child(XElement? element, string name) => element?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Text(XElement? element, string name) => Child(element, name)?.Value.Trim() is { Length: > 0 } text ? text : null;

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex PropertyReference();
}
