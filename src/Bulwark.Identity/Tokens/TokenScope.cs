using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Identity.Tokens;

/// <summary>
/// A requested resource scope, <c>type[(class)]:name:action[,action…]</c> (distribution token-scope spec).
/// The name may itself contain colons (a host with a port), so it is everything between the first and the last.
/// </summary>
public sealed record TokenScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out TokenScope? scope)
    {
        ArgumentNullException.ThrowIfNull(text);
        scope = null;
        var first = text.IndexOf(':', StringComparison.Ordinal);
        var last = text.LastIndexOf(':');
        if (first <= 0 || last <= first + 1 || last == text.Length - 1)
        {
            return false;
        }

        var type = text[..first];
        var paren = type.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            if (!type.EndsWith(')'))
            {
                return false;
            }

            type = type[..paren];
        }

        var actions = text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        scope = new TokenScope(type, text[(first + 1)..last], actions);
        return actions.Length > 0;
    }

    /// <summary>Every scope in a list of <c>scope</c> parameters, each of which may hold several separated by spaces (OAuth2 form).</summary>
    public static IReadOnlyList<TokenScope> ParseAll(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var scopes = new List<TokenScope>();
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (TryParse(part, out var scope))
                {
                    scopes.Add(scope);
                }
            }
        }

        return scopes;
    }
}
