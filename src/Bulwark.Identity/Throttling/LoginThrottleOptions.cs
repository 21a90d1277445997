namespace Bulwark.Identity.Throttling;

/// <summary>Failed-login limits: so many failures within the window block the account or the client address until the oldest failure ages out.</summary>
public sealed record LoginThrottleOptions
{
    public int MaxFailuresPerAccount { get; init; } = 10;

    public int MaxFailuresPerAddress { get; init; } = 50;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Bounds memory under a flood of distinct accounts or addresses; the oldest keys are dropped first.</summary>
    public int MaxTrackedKeys { get; init; } = 100_000;
}
