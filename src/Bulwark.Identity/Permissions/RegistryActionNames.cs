using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Identity.Permissions;

/// <summary>The wire names of <see cref="RegistryActions"/> (<c>content/read</c>…) and the Docker scope actions.</summary>
public static class RegistryActionNames
{
    private static readonly (RegistryActions Action, string Name)[] Names =
    [
        (RegistryActions.ContentRead, "content/read"),
        (RegistryActions.ContentWrite, "content/write"),
        (RegistryActions.ContentDelete, "content/delete"),
        (RegistryActions.MetadataRead, "metadata/read"),
        (RegistryActions.MetadataWrite, "metadata/write"),
        (RegistryActions.QuarantineRead, "quarantine/read"),
    ];

    public static IReadOnlyList<string> All { get; } = [.. Names.Select(n => n.Name)];

    /// <summary>The names of the actions in <paramref name="actions"/>, in a fixed order.</summary>
    public static IReadOnlyList<string> Format(RegistryActions actions) =>
        [.. Names.Where(n => (actions & n.Action) != 0).Select(n => n.Name)];

    public static bool TryParseOne(string name, out RegistryActions action)
    {
        foreach (var (value, text) in Names)
        {
            if (string.Equals(text, name, StringComparison.Ordinal))
            {
                action = value;
                return true;
            }
        }

        action = RegistryActions.None;
        return false;
    }

    /// <summary>Parses a list of our action names; fails on any unknown name rather than ignoring it.</summary>
    public static bool TryParse(IEnumerable<string> names, out RegistryActions actions, [NotNullWhen(false)] out string? unknown)
    {
        ArgumentNullException.ThrowIfNull(names);
        actions = RegistryActions.None;
        foreach (var name in names)
        {
            if (!TryParseOne(name, out var one))
            {
                unknown = name;
                return false;
            }

            actions |= one;
        }

        unknown = null;
        return true;
    }

    /// <summary>
    /// A Docker token-scope action (distribution token spec): <c>pull</c> is content/read + metadata/read (+ quarantine/read,
    /// granted only to those who hold it, so a quarantine reader's ordinary pull token can read quarantined images),
    /// <c>push</c> is content/write, <c>delete</c> is content/delete, <c>*</c> is everything. Our own action
    /// names are accepted too. Unknown actions map to nothing, so they are simply never granted.
    /// </summary>
    public static RegistryActions FromScopeAction(string action) => action switch
    {
        "pull" => RegistryActions.ContentRead | RegistryActions.MetadataRead | RegistryActions.QuarantineRead,
        "push" => RegistryActions.ContentWrite,
        "delete" => RegistryActions.ContentDelete,
        "*" => RegistryActions.All,
        _ => TryParseOne(action, out var one) ? one : RegistryActions.None,
    };
}
