using Bulwark.Audit.Records;
using Bulwark.Registry.Metadata;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Audit.Storage;

/// <summary>
/// The audit tables in the shared metadata database. Only portable types: integers, bounded strings and one
/// unbounded text column, so SQLite and PostgreSQL map it the same way. Every filter the query API offers has
/// an index that ends in the sequence number, so a filtered page is an index range scan in sequence order
/// (keyset pagination, no OFFSET) even over tens of millions of rows.
/// </summary>
public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public const string Component = "audit";

    private const int HashLength = 64;

    public DbSet<AuditRecordEntity> Records => Set<AuditRecordEntity>();

    public DbSet<AuditCheckpointEntity> Checkpoints => Set<AuditCheckpointEntity>();

    public DbSet<AuditHeadEntity> Head => Set<AuditHeadEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<AuditRecordEntity>(e =>
        {
            e.ToTable("audit_records");
            e.HasKey(r => r.Sequence);
            e.Property(r => r.Sequence).ValueGeneratedNever();
            e.Property(r => r.ActorKind).HasMaxLength(32);
            e.Property(r => r.ActorId).HasMaxLength(AuditFieldLimits.ActorId);
            e.Property(r => r.Action).HasMaxLength(AuditFieldLimits.Action);
            e.Property(r => r.Target).HasMaxLength(AuditFieldLimits.Target);
            e.Property(r => r.ClientAddress).HasMaxLength(AuditFieldLimits.ClientAddress);
            e.Property(r => r.UserAgent).HasMaxLength(AuditFieldLimits.UserAgent);
            e.Property(r => r.Outcome).HasMaxLength(16);
            e.Property(r => r.Reason).HasMaxLength(AuditFieldLimits.Reason);
            e.Property(r => r.PreviousHash).HasMaxLength(HashLength);
            e.Property(r => r.Hash).HasMaxLength(HashLength);
            e.HasIndex(r => new { r.ActorId, r.Sequence });
            e.HasIndex(r => new { r.Action, r.Sequence });
            e.HasIndex(r => new { r.Target, r.Sequence });
            e.HasIndex(r => new { r.Outcome, r.Sequence });
            e.HasIndex(r => r.Time);
        });

        modelBuilder.Entity<AuditHeadEntity>(e =>
        {
            e.ToTable("audit_head");
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).ValueGeneratedNever();
            e.Property(h => h.Sequence).IsConcurrencyToken();
            e.Property(h => h.Hash).HasMaxLength(HashLength);
        });

        modelBuilder.Entity<AuditCheckpointEntity>(e =>
        {
            e.ToTable("audit_checkpoints");
            e.HasKey(c => c.Sequence);
            e.Property(c => c.Sequence).ValueGeneratedNever();
            e.Property(c => c.HeadHash).HasMaxLength(HashLength);
            e.Property(c => c.KeyId).HasMaxLength(HashLength);
            e.Property(c => c.Signature).HasMaxLength(256);
        });
    }
}
