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

    public DbSet<ScanPackageKeyEntity> PackageKeys => Set<ScanPackageKeyEntity>();

    public DbSet<ScanMatchStateEntity> MatchStates => Set<ScanMatchStateEntity>();

    public DbSet<ScanMatchOutcomeEntity> MatchOutcomes => Set<ScanMatchOutcomeEntity>();

    public DbSet<ScanMatchInputEntity> MatchInputs => Set<ScanMatchInputEntity>();

    /// <summary>
    /// The re-match tables (portable SQL; <paramref name="sqlite"/> only picks the binary column type): the index
    /// (<see cref="ScanPackageKeyEntity"/>, <see cref="ScanMatchStateEntity"/>), each image's last outcome
    /// (<see cref="ScanMatchOutcomeEntity"/>) and its matching input (<see cref="ScanMatchInputEntity"/>). The schema has
    /// no migrations, so they are created with <c>IF NOT EXISTS</c> at every start
    /// (<see cref="ScanningServiceCollectionExtensions.EnsureScanningSchemaAsync"/>) rather than by the component's first
    /// <c>CreateTables</c>, and excluded from it. Images stored before they existed have no rows and get them at their next
    /// re-match. Should the way keys, hashes or inputs are computed ever change, rename the table concerned: every image
    /// then gets new rows the same way.
    /// </summary>
    public static IReadOnlyList<string> RematchTables(bool sqlite) =>
    [
        """
        CREATE TABLE IF NOT EXISTS "scan_package_keys" ("manifest_digest" VARCHAR(200) NOT NULL, "ecosystem" VARCHAR(64) NOT NULL,
            "release" VARCHAR(128) NOT NULL, "name" VARCHAR(512) NOT NULL, PRIMARY KEY ("manifest_digest", "ecosystem", "release", "name"))
        """,
        """CREATE INDEX IF NOT EXISTS "ix_scan_package_keys_name" ON "scan_package_keys" ("name")""",
        """
        CREATE TABLE IF NOT EXISTS "scan_match_state" ("manifest_digest" VARCHAR(200) NOT NULL PRIMARY KEY,
            "ecosystems" VARCHAR(4000) NOT NULL, "database_state" VARCHAR(4000) NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS "scan_match_outcome" ("manifest_digest" VARCHAR(200) NOT NULL PRIMARY KEY, "sha256" VARCHAR(64) NOT NULL,
            "findings" TEXT NOT NULL)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS "scan_match_input" ("manifest_digest" VARCHAR(200) NOT NULL PRIMARY KEY, "inventory" {(sqlite ? "BLOB" : "BYTEA")} NOT NULL)
        """,
    ];

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

        modelBuilder.Entity<ScanPackageKeyEntity>(e =>
        {
            e.ToTable("scan_package_keys", t => t.ExcludeFromMigrations());
            e.HasKey(k => new { k.ManifestDigest, k.Ecosystem, k.Release, k.Name });
            e.Property(k => k.ManifestDigest).HasColumnName("manifest_digest").HasMaxLength(200);
            e.Property(k => k.Ecosystem).HasColumnName("ecosystem").HasMaxLength(MatchIndexEntry.MaxEcosystemLength);
            e.Property(k => k.Release).HasColumnName("release").HasMaxLength(MatchIndexEntry.MaxReleaseLength);
            e.Property(k => k.Name).HasColumnName("name").HasMaxLength(MatchIndexEntry.MaxNameLength);
        });

        modelBuilder.Entity<ScanMatchStateEntity>(e =>
        {
            e.ToTable("scan_match_state", t => t.ExcludeFromMigrations());
            e.HasKey(m => m.ManifestDigest);
            e.Property(m => m.ManifestDigest).HasColumnName("manifest_digest").HasMaxLength(200);
            e.Property(m => m.Ecosystems).HasColumnName("ecosystems").HasMaxLength(MatchIndexEntry.MaxStateLength);
            e.Property(m => m.DatabaseState).HasColumnName("database_state").HasMaxLength(MatchIndexEntry.MaxStateLength);
        });

        modelBuilder.Entity<ScanMatchOutcomeEntity>(e =>
        {
            e.ToTable("scan_match_outcome", t => t.ExcludeFromMigrations());
            e.HasKey(m => m.ManifestDigest);
            e.Property(m => m.ManifestDigest).HasColumnName("manifest_digest").HasMaxLength(200);
            e.Property(m => m.Sha256).HasColumnName("sha256").HasMaxLength(64);
            e.Property(m => m.Findings).HasColumnName("findings");
        });

        modelBuilder.Entity<ScanMatchInputEntity>(e =>
        {
            e.ToTable("scan_match_input", t => t.ExcludeFromMigrations());
            e.HasKey(m => m.ManifestDigest);
            e.Property(m => m.ManifestDigest).HasColumnName("manifest_digest").HasMaxLength(200);
            e.Property(m => m.Inventory).HasColumnName("inventory");
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
