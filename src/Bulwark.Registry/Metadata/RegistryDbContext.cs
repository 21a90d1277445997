using Microsoft.EntityFrameworkCore;

namespace Bulwark.Registry.Metadata;

/// <summary>
/// Registry metadata. The model uses only portable types and constraints so that it maps the same way to
/// SQLite (the embedded default) and PostgreSQL.
/// </summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options)
{
    // sha512 digests are 135 characters; leave room for longer registered algorithms.
    private const int DigestLength = 200;

    /// <summary>The provider's name for byte-wise string ordering: <c>C</c> on PostgreSQL, <c>BINARY</c> on SQLite.</summary>
    public string BinaryCollation =>
        Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true ? "C" : "BINARY";

    public DbSet<RepositoryEntity> Repositories => Set<RepositoryEntity>();

    public DbSet<BlobEntity> Blobs => Set<BlobEntity>();

    public DbSet<RepositoryBlobEntity> RepositoryBlobs => Set<RepositoryBlobEntity>();

    public DbSet<ManifestEntity> Manifests => Set<ManifestEntity>();

    public DbSet<ManifestReferenceEntity> ManifestReferences => Set<ManifestReferenceEntity>();

    public DbSet<TagEntity> Tags => Set<TagEntity>();

    public DbSet<UploadSessionEntity> UploadSessions => Set<UploadSessionEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<RepositoryEntity>(e =>
        {
            e.ToTable("registry_repositories");
            e.HasKey(r => r.Id);
            e.Property(r => r.Name).HasMaxLength(Oci.RepositoryName.MaxLength);
            e.HasIndex(r => r.Name).IsUnique();
        });

        modelBuilder.Entity<BlobEntity>(e =>
        {
            e.ToTable("registry_blobs");
            e.HasKey(b => b.Digest);
            e.Property(b => b.Digest).HasMaxLength(DigestLength);
        });

        modelBuilder.Entity<RepositoryBlobEntity>(e =>
        {
            e.ToTable("registry_repository_blobs");
            e.HasKey(l => new { l.RepositoryId, l.Digest });
            e.Property(l => l.Digest).HasMaxLength(DigestLength);
            e.HasIndex(l => l.Digest);
        });

        modelBuilder.Entity<ManifestEntity>(e =>
        {
            e.ToTable("registry_manifests");
            e.HasKey(m => new { m.RepositoryId, m.Digest });
            e.Property(m => m.Digest).HasMaxLength(DigestLength);
            e.Property(m => m.SubjectDigest).HasMaxLength(DigestLength);
            e.Property(m => m.MediaType).HasMaxLength(255);
            e.Property(m => m.ArtifactType).HasMaxLength(255);
            e.HasIndex(m => new { m.RepositoryId, m.SubjectDigest });
            e.HasIndex(m => m.Digest);
        });

        modelBuilder.Entity<ManifestReferenceEntity>(e =>
        {
            e.ToTable("registry_manifest_references");
            e.HasKey(r => new { r.RepositoryId, r.ManifestDigest, r.ReferencedDigest });
            e.Property(r => r.ManifestDigest).HasMaxLength(DigestLength);
            e.Property(r => r.ReferencedDigest).HasMaxLength(DigestLength);
            e.HasIndex(r => r.ReferencedDigest);
        });

        modelBuilder.Entity<TagEntity>(e =>
        {
            e.ToTable("registry_tags");
            e.HasKey(t => new { t.RepositoryId, t.Name });
            e.Property(t => t.Name).HasMaxLength(128);
            e.Property(t => t.ManifestDigest).HasMaxLength(DigestLength);
            e.HasIndex(t => new { t.RepositoryId, t.ManifestDigest });
        });

        modelBuilder.Entity<UploadSessionEntity>(e =>
        {
            e.ToTable("registry_upload_sessions");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasMaxLength(64);
            e.HasIndex(u => u.LastActivityAt);
        });
    }
}
