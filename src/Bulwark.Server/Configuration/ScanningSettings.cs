namespace Bulwark.Server.Configuration;

/// <summary>Scan-on-push and advisory updates, as configured (<c>scanning:</c> in <c>bulwark.yaml</c>).</summary>
public sealed class ScanningSettings
{
    /// <summary>Whether pushed images are queued and the workers run; results already stored stay readable when off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many scans run at once in this server.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>Attempts before a job is marked <c>failed</c>.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; doubled for each further attempt, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a claimed job belongs to its worker without a heartbeat; after that another worker takes it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an idle worker looks for due jobs (a push in this server wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public AdvisoryUpdateSettings Advisories { get; set; } = new();
}
