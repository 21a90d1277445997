using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Scanning;

/// <summary>
/// The scan queue and the stored results, in the metadata database (component <see cref="Component"/>). Column names
/// are explicit because the PostgreSQL claim is written in SQL (<c>FOR UPDATE SKIP LOCKED</c> has no LINQ form).
/// </summary>
public sealed class ScanDbContext(DbContextOptions<ScanDbContext> options) : DbContext(options)
{
    public const string Component = "scanning";

    public DbSet<ScanJobEntity> Jobs => Set<ScanJobEntity>();

    public DbSet<ScanResultEntity> Results => Set<ScanResultEntity>();

    public DbSet<ScanFindingEntity> Findings => Set<ScanFindingEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<ScanJobEntity>(e =>
        {
            e.ToTable("scan_jobs");
            e.HasKey(j => j.Id);
            e.Property(j => j.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(j => j.Repository).HasColumnName("repository").HasMaxLength(255);
            e.Property(j => j.ManifestDigest).HasColumnName("manifest_digest").HasMaxLength(200);
            e.Property(j => j.MediaType).HasColumnName("media_type").HasMaxLength(255);
            e.Property(j => j.Status).HasColumnName("status").HasMaxLength(16).HasConversion(
                s => s.ToString().ToLowerInvariant(), s => Enum.Parse<ScanStatus>(s, true));
            e.Property(j => j.Attempts).HasColumnName("attempts");
            e.Property(j => j.NextAttemptAt).HasColumnName("next_attempt_at");
            e.Property(j => j.LeaseOwner).HasColumnName("lease_owner").HasMaxLength(100);
            e.Property(j => j.LeaseExpiresAt).HasColumnName("lease_expires_at");
            e.Property(j => j.Error).HasColumnName("error").HasMaxLength(ScanJobStore.MaxErrorLength);
            e.Property(j => j.Force).HasColumnName("force");
            e.Property(j => j.EnqueuedAt).HasColumnName("enqueued_at");
            e.Property(j => j.StartedAt).HasColumnName("started_at");
            e.Property(j => j.FinishedAt).HasColumnName("finished_at");
            e.HasIndex(j => new { j.Repository, j.ManifestDigest }).IsUnique();
            e.HasIndex(j => new { j.Status, j.NextAttemptAt });
            e.HasIndex(j => j.ManifestDigest);
        });

        modelBuilder.Entity<ScanResultEntity>(e =>
        {
            e.ToTable("scan_results");
            e.HasKey(r => r.ManifestDigest);
            e.Property(r => r.ManifestDigest).HasMaxLength(200);
        });

        modelBuilder.Entity<ScanFindingEntity>(e =>
        {
            e.ToTable("scan_findings");
            e.HasKey(f => new { f.ManifestDigest, f.Key });
            e.Property(f => f.ManifestDigest).HasMaxLength(200);
            e.Property(f => f.Key).HasMaxLength(64);
            e.Property(f => f.VulnerabilityId).HasMaxLength(200);
            e.Property(f => f.PackageName).HasMaxLength(512);
            e.Property(f => f.InstalledVersion).HasMaxLength(256);
            e.Property(f => f.Severity).HasMaxLength(16);
        });
    }
}
