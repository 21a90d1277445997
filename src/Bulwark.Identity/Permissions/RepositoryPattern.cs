using System.Diagnostics.CodeAnalysis;
using Bulwark.Oci;

namespace Bulwark.Identity.Permissions;

/// <summary>
/// A set of repositories: an exact name (<c>team-a/app</c>), every repository one level below a prefix
/// (<c>team-a/*</c>: <c>team-a/app</c> but not <c>team-a/x/y</c>), or any depth below it (<c>team-a/**</c>).
/// <c>**</c> alone is every repository. Wildcards only stand for whole trailing path components, so
/// <c>team-a/*</c> never matches <c>team-ab/app</c>.
/// </summary>
public sealed record RepositoryPattern
{
    private RepositoryPattern(string text, string prefix, RepositoryPatternKind kind)
    {
        Text = text;
        Prefix = prefix;
        Kind = kind;
    }

    public string Text { get; }

    /// <summary>The exact name, or the prefix before <c>/*</c> or <c>/**</c> (empty for <c>*</c> and <c>**</c>).</summary>
    public string Prefix { get; }

    public RepositoryPatternKind Kind { get; }

    public static RepositoryPattern Everything { get; } = new("**", "", RepositoryPatternKind.AnyDepth);

    public static bool TryParse(string? text, [NotNullWhen(true)] out RepositoryPattern? pattern)
    {
        pattern = text switch
        {
            null => null,
            "**" => Everything,
            "*" => new RepositoryPattern(text, "", RepositoryPatternKind.OneLevel),
            _ when text.EndsWith("/**", StringComparison.Ordinal) && RepositoryName.IsValid(text[..^3])
                => new RepositoryPattern(text, text[..^3], RepositoryPatternKind.AnyDepth),
            _ when text.EndsWith("/*", StringComparison.Ordinal) && RepositoryName.IsValid(text[..^2])
                => new RepositoryPattern(text, text[..^2], RepositoryPatternKind.OneLevel),
            _ when RepositoryName.IsValid(text) => new RepositoryPattern(text, text, RepositoryPatternKind.Exact),
            _ => null,
        };
        return pattern is not null;
    }

    public static RepositoryPattern Parse(string text) =>
        TryParse(text, out var pattern) ? pattern : throw new FormatException($"'{text}' is not a repository pattern (name, name/*, name/** or **)");

    public bool Matches(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (Kind == RepositoryPatternKind.Exact)
        {
            return string.Equals(repository, Prefix, StringComparison.Ordinal);
        }

        string rest;
        if (Prefix.Length == 0)
        {
            rest = repository;
        }
        else if (repository.Length > Prefix.Length + 1 && repository.StartsWith(Prefix, StringComparison.Ordinal) && repository[Prefix.Length] == '/')
        {
            rest = repository[(Prefix.Length + 1)..];
        }
        else
        {
            return false;
        }

        return rest.Length > 0 && (Kind == RepositoryPatternKind.AnyDepth || !rest.Contains('/', StringComparison.Ordinal));
    }

    public override string ToString() => Text;
}
