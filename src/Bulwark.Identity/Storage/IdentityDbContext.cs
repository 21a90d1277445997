using Microsoft.EntityFrameworkCore;

namespace Bulwark.Identity.Storage;

/// <summary>Principals, secrets, scope maps, role assignments, public patterns and refresh tokens; portable to SQLite and PostgreSQL.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    private const int NameLength = 128;
    private const int PatternLength = 260;

    public DbSet<PrincipalEntity> Principals => Set<PrincipalEntity>();

    public DbSet<SecretEntity> Secrets => Set<SecretEntity>();

    public DbSet<ScopeMapEntity> ScopeMaps => Set<ScopeMapEntity>();

    public DbSet<ScopeMapRuleEntity> ScopeMapRules => Set<ScopeMapRuleEntity>();

    public DbSet<RoleAssignmentEntity> RoleAssignments => Set<RoleAssignmentEntity>();

    public DbSet<PublicPatternEntity> PublicPatterns => Set<PublicPatternEntity>();

    public DbSet<RefreshTokenEntity> RefreshTokens => Set<RefreshTokenEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<PrincipalEntity>(e =>
        {
            e.ToTable("identity_principals");
            e.HasKey(p => p.Id);
            e.Property(p => p.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(p => p.Name).HasMaxLength(NameLength);
            e.Property(p => p.Description).HasMaxLength(1024);
            e.Property(p => p.PasswordHash).HasMaxLength(512);
            e.HasIndex(p => p.Name).IsUnique();
        });
        modelBuilder.Entity<SecretEntity>(e =>
        {
            e.ToTable("identity_secrets");
            e.HasKey(s => s.Id);
            e.Property(s => s.Hash).HasMaxLength(64);
            e.HasIndex(s => s.PrincipalId);
        });
        modelBuilder.Entity<ScopeMapEntity>(e =>
        {
            e.ToTable("identity_scope_maps");
            e.HasKey(s => s.Id);
            e.Property(s => s.Name).HasMaxLength(NameLength);
            e.Property(s => s.Description).HasMaxLength(1024);
            e.HasIndex(s => s.Name).IsUnique();
            e.HasMany(s => s.Rules).WithOne().HasForeignKey(r => r.ScopeMapId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ScopeMapRuleEntity>(e =>
        {
            e.ToTable("identity_scope_map_rules");
            e.HasKey(r => r.Id);
            e.Property(r => r.Pattern).HasMaxLength(PatternLength);
            e.Property(r => r.Actions).HasMaxLength(256);
        });
        modelBuilder.Entity<RoleAssignmentEntity>(e =>
        {
            e.ToTable("identity_role_assignments");
            e.HasKey(a => a.Id);
            e.Property(a => a.Role).HasMaxLength(NameLength);
            e.Property(a => a.Pattern).HasMaxLength(PatternLength);
            e.HasIndex(a => a.PrincipalId);
            e.HasIndex(a => a.ScopeMapId);
        });
        modelBuilder.Entity<PublicPatternEntity>(e =>
        {
            e.ToTable("identity_public_patterns");
            e.HasKey(p => p.Id);
            e.Property(p => p.Pattern).HasMaxLength(PatternLength);
            e.HasIndex(p => p.Pattern).IsUnique();
        });
        modelBuilder.Entity<RefreshTokenEntity>(e =>
        {
            e.ToTable("identity_refresh_tokens");
            e.HasKey(r => r.Id);
            e.Property(r => r.Hash).HasMaxLength(64);
            e.Property(r => r.ClientId).HasMaxLength(NameLength);
            e.HasIndex(r => r.PrincipalId);
        });
    }
}
