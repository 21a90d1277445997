namespace Bulwark.LoadTool;

/// <summary>Everything one invocation measured, as written with <c>--json</c>.</summary>
public sealed record LoadReport
{
    public required string Registry { get; init; }

    public required string Repository { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required double DurationBoundSeconds { get; init; }

    public required long OperationBound { get; init; }

    public required IReadOnlyList<ScenarioResult> Results { get; init; }
}
