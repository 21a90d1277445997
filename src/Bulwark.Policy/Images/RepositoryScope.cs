using System.Diagnostics.CodeAnalysis;
using Bulwark.Oci;

namespace Bulwark.Policy.Images;

/// <summary>
/// The repositories a rule applies to, in the syntax of Bulwark's permission patterns: an exact name
/// (<c>team-a/app</c>), one level below a prefix (<c>team-a/*</c>: <c>team-a/app</c>, not <c>team-a/x/y</c>), any depth
/// below it (<c>team-a/**</c>), or <c>**</c> for every repository. Wildcards stand only for whole trailing path
/// components, so <c>team-a/*</c> never matches <c>team-ab/app</c>.
/// </summary>
public sealed record RepositoryScope
{
    private readonly string prefix;
    private readonly int kind; // 0 exact, 1 one level, 2 any depth

    private RepositoryScope(string text, string prefix, int kind)
    {
        Text = text;
        this.prefix = prefix;
        this.kind = kind;
    }

    public string Text { get; }

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out RepositoryScope? scope)
    {
        scope = text switch
        {
            null => null,
            "**" => new RepositoryScope(text, "", 2),
            "*" => new RepositoryScope(text, "", 1),
            _ when text.EndsWith("/**", StringComparison.Ordinal) && RepositoryName.IsValid(text[..^3]) => new RepositoryScope(text, text[..^3], 2),
            _ when text.EndsWith("/*", StringComparison.Ordinal) && RepositoryName.IsValid(text[..^2]) => new RepositoryScope(text, text[..^2], 1),
            _ when RepositoryName.IsValid(text) => new RepositoryScope(text, text, 0),
            _ => null,
        };
        return scope is not null;
    }

    public bool Matches(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (kind == 0)
        {
            return string.Equals(repository, prefix, StringComparison.Ordinal);
        }

        string rest;
        if (prefix.Length == 0)
        {
            rest = repository;
        }
        else if (repository.Length > prefix.Length + 1 && repository.StartsWith(prefix, StringComparison.Ordinal) && repository[prefix.Length] == '/')
        {
            rest = repository[(prefix.Length + 1)..];
        }
        else
        {
            return false;
        }

        return rest.Length > 0 && (kind == 2 || !rest.Contains('/', StringComparison.Ordinal));
    }

    public override string ToString() => Text;
}
