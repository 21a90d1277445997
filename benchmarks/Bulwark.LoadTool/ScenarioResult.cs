using System.Text.Json.Serialization;

namespace Bulwark.LoadTool;

/// <summary>The measurement of one scenario at one blob size and one concurrency.</summary>
public sealed record ScenarioResult
{
    public required string Scenario { get; init; }

    /// <summary>Blob size as text (<c>10MiB</c>); null for manifest scenarios.</summary>
    public string? Size { get; init; }

    public long? SizeBytes { get; init; }

    public required int Concurrency { get; init; }

    /// <summary>Operations that succeeded; a blob push counts once, however many HTTP requests it took.</summary>
    public required long Operations { get; init; }

    public required long Errors { get; init; }

    public required long HttpRequests { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required double OperationsPerSecond { get; init; }

    /// <summary>Payload bytes of successful operations per second, in MiB (2^20 bytes).</summary>
    [JsonPropertyName("mibPerSecond")]
    public required double MiBPerSecond { get; init; }

    public required LatencySummary LatencyMs { get; init; }

    public required IReadOnlyList<ErrorSample> ErrorSamples { get; init; }

    /// <summary>Set when the run could not start (preparation failed); no measurement then.</summary>
    public string? Failure { get; init; }
}
