using Tomlyn;
using Tomlyn.Model;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// TOML lock files (<c>poetry.lock</c>, <c>Cargo.lock</c>, <c>Pipfile</c>, <c>pyproject.toml</c>) read with Tomlyn into
/// its untyped model, nesting bounded.
/// </summary>
internal static class TomlDocuments
{
    public static TomlTable Parse(string text, string path) =>
        TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { MaxDepth = 64, SourceName = path }) ?? throw new LockfileFormatException("empty TOML document", 1);

    public static string? String(TomlTable table, string key) => table.TryGetValue(key, out var value) ? value as string : null;

    public static TomlTable? Table(TomlTable table, string key) => table.TryGetValue(key, out var value) ? value as TomlTable : null;

    /// <summary>An array of tables (<c>[[package]]</c>); empty when absent.</summary>
    public static IEnumerable<TomlTable> Tables(TomlTable table, string key) => table.TryGetValue(key, out var value) switch
    {
        true when value is TomlTableArray array => array,
        true when value is TomlArray items => items.OfType<TomlTable>(),
        _ => [],
    };

    public static IEnumerable<string> Strings(TomlTable table, string key) =>
        table.TryGetValue(key, out var value) && value is TomlArray array ? array.OfType<string>() : [];
}
