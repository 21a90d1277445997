using Microsoft.EntityFrameworkCore;

namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// The advisory store. In the server it lives in the metadata database next to the other components' contexts
/// (created with the component name <see cref="Component"/>); the CLI opens it on a standalone SQLite file. The
/// model uses only portable types so that it maps the same way to SQLite and PostgreSQL.
/// </summary>
public sealed class AdvisoryDbContext(DbContextOptions<AdvisoryDbContext> options) : DbContext(options)
{
    /// <summary>The component name for the shared schema table.</summary>
    public const string Component = "advisories";

    private const int IdLength = 200;
    private const int SourceLength = 200;

    public DbSet<AdvisorySourceEntity> Sources => Set<AdvisorySourceEntity>();

    public DbSet<AdvisoryEntity> Advisories => Set<AdvisoryEntity>();

    public DbSet<AffectedPackageEntity> AffectedPackages => Set<AffectedPackageEntity>();

    public DbSet<AdvisoryAliasEntity> Aliases => Set<AdvisoryAliasEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<AdvisorySourceEntity>(e =>
        {
            e.ToTable("advisory_sources");
            e.HasKey(s => s.Name);
            e.Property(s => s.Name).HasMaxLength(SourceLength);
            e.Property(s => s.Url).HasMaxLength(2048);
            e.Property(s => s.ETag).HasMaxLength(512);
            e.Property(s => s.LastModified).HasMaxLength(64);
        });

        modelBuilder.Entity<AdvisoryEntity>(e =>
        {
            e.ToTable("advisories");
            e.HasKey(a => new { a.Source, a.Id });
            e.Property(a => a.Source).HasMaxLength(SourceLength);
            e.Property(a => a.Id).HasMaxLength(IdLength);
            e.HasIndex(a => a.Id);
        });

        modelBuilder.Entity<AffectedPackageEntity>(e =>
        {
            e.ToTable("advisory_packages");
            e.HasKey(p => new { p.Source, p.AdvisoryId, p.Ordinal });
            e.Property(p => p.Source).HasMaxLength(SourceLength);
            e.Property(p => p.AdvisoryId).HasMaxLength(IdLength);
            e.Property(p => p.Ecosystem).HasMaxLength(64);
            e.Property(p => p.Release).HasMaxLength(128);
            e.Property(p => p.Name).HasMaxLength(512);
            e.HasIndex(p => new { p.Ecosystem, p.Release, p.Name });
        });

        modelBuilder.Entity<AdvisoryAliasEntity>(e =>
        {
            e.ToTable("advisory_aliases");
            e.HasKey(a => new { a.Source, a.AdvisoryId, a.Alias });
            e.Property(a => a.Source).HasMaxLength(SourceLength);
            e.Property(a => a.AdvisoryId).HasMaxLength(IdLength);
            e.Property(a => a.Alias).HasMaxLength(IdLength);
            e.HasIndex(a => a.Alias);
        });
    }
}
