namespace Bulwark.Server.Scanning;

/// <summary>One row of the scan queue: one job per (repository, manifest digest).</summary>
public sealed class ScanJobEntity
{
    public long Id { get; set; }

    public required string Repository { get; set; }

    public required string ManifestDigest { get; set; }

    public required string MediaType { get; set; }

    public ScanStatus Status { get; set; }

    /// <summary>Attempts started so far (a claim counts one).</summary>
    public int Attempts { get; set; }

    /// <summary>When a pending job may be claimed (now for a new job, later for a retry).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The worker that holds the job while scanning.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>Until when the lease holds; a scanning job past it is claimed again (its worker died).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>Why the last attempt failed.</summary>
    public string? Error { get; set; }

    /// <summary>Re-analyse even when an inventory is stored (a re-scan request).</summary>
    public bool Force { get; set; }

    public DateTimeOffset EnqueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
