namespace Bulwark.Server.Configuration;

/// <summary>The metadata database: embedded SQLite (default) or PostgreSQL.</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For SQLite, defaults to <c>&lt;data&gt;/bulwark.db</c>; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }
}
