using System.CommandLine;

namespace Bulwark.Cli.Commands.Db;

/// <summary><c>bulwark db</c>: the local advisory database of <c>bulwark scan</c>.</summary>
internal static class DbCommand
{
    public static Command Create() => new("db", "Update and inspect the local advisory database used by 'bulwark scan'")
    {
        DbUpdateCommand.Create(),
        DbStatusCommand.Create(),
    };

    public static Option<string?> DatabaseOption() =>
        new("--db") { Description = "The advisory database file (default: $XDG_CACHE_HOME/bulwark/advisories.db or ~/.cache/bulwark/advisories.db)" };
}
