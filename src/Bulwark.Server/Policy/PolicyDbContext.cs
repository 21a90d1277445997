using Bulwark.Server.Scanning;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Policy;

/// <summary>Stored policy versions and image decisions, in the metadata database (component <see cref="Component"/>).</summary>
public sealed class PolicyDbContext(DbContextOptions<PolicyDbContext> options) : DbContext(options)
{
    public const string Component = "policy";

    public DbSet<StoredPolicyEntity> Policies => Set<StoredPolicyEntity>();

    public DbSet<ImageDecisionEntity> Decisions => Set<ImageDecisionEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<StoredPolicyEntity>(e =>
        {
            e.ToTable("policies");
            e.HasKey(p => new { p.Name, p.Version });
            e.Property(p => p.Name).HasMaxLength(PolicyNames.MaxLength);
            e.Property(p => p.ContentHash).HasMaxLength(64);
            e.Property(p => p.CreatedBy).HasMaxLength(256);
        });

        modelBuilder.Entity<ImageDecisionEntity>(e =>
        {
            e.ToTable("image_decisions");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).ValueGeneratedOnAdd();
            e.Property(d => d.Repository).HasMaxLength(255);
            e.Property(d => d.ManifestDigest).HasMaxLength(200);
            e.Property(d => d.Status).HasMaxLength(16).HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<DecisionStatus>(s, true));
            e.Property(d => d.PolicyVersion).HasMaxLength(1024);
            e.HasIndex(d => new { d.Repository, d.ManifestDigest, d.Id });
            e.HasIndex(d => d.ManifestDigest);
        });
    }
}
