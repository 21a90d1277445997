using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Analysis.Sbom;
using Bulwark.Oci;
using Bulwark.Registry.Manifests;
using Bulwark.Registry.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Scanning;

/// <summary>
/// SBOMs of pushed images, written from the stored inventory (no layer is read). The document is reproducible: its
/// id derives from the manifest digest and its timestamp is the analysis time, so attaching it twice stores the same
/// artifact manifest — attaching is idempotent.
/// </summary>
public sealed class ImageSbomService(
    IDbContextFactory<ScanDbContext> dbFactory,
    ManifestService manifests,
    BlobUploadService uploads)
{
    /// <summary>Annotation on attached SBOM manifests naming who generated them.</summary>
    public const string GeneratorAnnotation = "dev.bulwark.sbom.generator";

    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    /// <summary>The SBOM of an analysed image manifest, or null when it was not analysed yet.</summary>
    public async Task<byte[]?> WriteAsync(string digest, SbomFormat format, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stored = await db.Results.AsNoTracking().Where(r => r.ManifestDigest == digest).Select(r => new { r.Inventory, r.AnalyzedAt })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var options = new SbomOptions
        {
            DocumentId = DocumentId(digest),
            TimeProvider = new FixedTimeProvider(stored.AnalyzedAt),
        };
        return SbomDocuments.ToUtf8Bytes(InventoryCodec.Decode(stored.Inventory), format, options);
    }

    /// <summary>
    /// Stores the SBOM as an OCI artifact whose <c>subject</c> is the image, so that it appears in the referrers API.
    /// Returns the artifact's digest and whether it was created now (false: it was attached before); null when the
    /// image was not analysed yet.
    /// </summary>
    public async Task<SbomAttachment?> AttachAsync(StoredManifest image, SbomFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var sbom = await WriteAsync(image.Digest.ToString(), format, cancellationToken).ConfigureAwait(false);
        if (sbom is null)
        {
            return null;
        }

        var mediaType = SbomDocuments.MediaType(format);
        var sbomDigest = Digest.Compute(sbom);
        var configDigest = Digest.Compute(EmptyConfig);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = mediaType,
            ["config"] = new JsonObject { ["mediaType"] = MediaTypes.OciEmpty, ["digest"] = configDigest.ToString(), ["size"] = EmptyConfig.Length },
            ["layers"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = mediaType,
                ["digest"] = sbomDigest.ToString(),
                ["size"] = sbom.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = SbomDocuments.FileName(format) },
            }),
            ["subject"] = new JsonObject { ["mediaType"] = image.MediaType, ["digest"] = image.Digest.ToString(), ["size"] = image.Size },
            ["annotations"] = new JsonObject { [GeneratorAnnotation] = "bulwark" },
        };
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Digest.Compute(bytes);
        if (await manifests.FindAsync(image.Repository, digest.ToString(), cancellationToken).ConfigureAwait(false) is not null)
        {
            return new SbomAttachment(digest.ToString(), mediaType, Created: false);
        }

        await UploadAsync(image.Repository, configDigest, EmptyConfig, cancellationToken).ConfigureAwait(false);
        await UploadAsync(image.Repository, sbomDigest, sbom, cancellationToken).ConfigureAwait(false);
        await manifests.PutAsync(image.Repository, digest.ToString(), bytes, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        return new SbomAttachment(digest.ToString(), mediaType, Created: true);
    }

    private async Task UploadAsync(string repository, Digest digest, byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        await uploads.UploadAsync(repository, digest, stream, content.Length, cancellationToken).ConfigureAwait(false);
    }

    // A stable UUID per image: the first 16 bytes of the manifest digest, as a version-4-shaped GUID.
    private static Guid DocumentId(string digest)
    {
        var hex = Digest.Parse(digest).Encoded;
        var bytes = Convert.FromHexString(hex.AsSpan(0, 32));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private sealed class FixedTimeProvider(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
