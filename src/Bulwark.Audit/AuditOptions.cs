namespace Bulwark.Audit;

/// <summary>How the audit log is set up.</summary>
public sealed record AuditOptions
{
    /// <summary>The server's data directory; the checkpoint signing key lives in <c>&lt;data&gt;/audit/</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// The checkpoint signing key (PKCS#8 PEM, ECDSA P-256, mode 0600); created on first use. Replicas that
    /// share one database should share this file (e.g. a mounted secret). Default: <c>&lt;data&gt;/audit/checkpoint-key.pem</c>.
    /// </summary>
    public string? CheckpointKeyPath { get; init; }

    /// <summary>How often the server signs a checkpoint when the log has grown; zero disables the schedule.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The largest page <see cref="IAuditLog.QueryAsync"/> returns.</summary>
    public int MaxPageSize { get; init; } = 1000;

    public string ResolvedCheckpointKeyPath =>
        CheckpointKeyPath ?? Path.Combine(DataDirectory, "audit", "checkpoint-key.pem");
}
