namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>Options of <see cref="InventoryScanner"/>.</summary>
public sealed record InventoryScannerOptions
{
    /// <summary>A database whose oldest source import is older than this is reported as stale in every result.</summary>
    public TimeSpan MaxDatabaseAge { get; init; } = TimeSpan.FromHours(24);

    public static InventoryScannerOptions Default { get; } = new();
}
