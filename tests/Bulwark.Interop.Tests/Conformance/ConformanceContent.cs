using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// The test content of the OCI conformance suite, made afresh for every test so that checks never share
/// digests: five image configs (unique authors) and their manifests, a small gzip layer, random blobs,
/// and the referrers graph (artifacts A/B as config-typed and layer-typed manifests, an artifact index,
/// and artifact C whose subject is never pushed). Every descriptor carries an unknown field
/// (<c>newUnspecifiedField</c>) because the suite checks that registries ignore fields they don't know.
/// </summary>
public sealed class ConformanceContent
{
    public const string ArtifactTypeA = "application/vnd.nhl.peanut.butter.bagel";
    public const string ArtifactTypeB = "application/vnd.nba.strawberry.jam.croissant";
    public const string ArtifactTypeIndex = "application/vnd.food.stand";
    public const string AnnotationKey = "org.opencontainers.conformance.test";
    public const string EmptyJsonMediaType = "application/vnd.oci.empty.v1+json";
    public const string EmptyJsonDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    /// <summary>Not a valid reference: a tag may not start with a dot.</summary>
    public const string NonexistentManifest = ".INVALID_MANIFEST_NAME";

    public const string TagTest0 = "tagtest0";
    public const string EmptyLayerTag = "emptylayer";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Dictionary<string, string> annotations = [];

    public ConformanceContent()
    {
        Layer = new TestBlob(GzipLayer());
        Configs = [.. Enumerable.Range(0, 5).Select(_ => ImageConfig())];
        Manifests = [.. Configs.Select(config => ImageManifest(config, [Layer]))];
        EmptyLayerManifest = ImageManifest(Configs[1], [], withMediaType: false);
        BlobA = new TestBlob(RandomNumberGenerator.GetBytes(42));
        BlobB = new ChunkedBlob(42);
        EmptyJson = new TestBlob("{}"u8.ToArray());
        RefBlobA = new TestBlob("NHL Peanut Butter on my NHL bagel"u8.ToArray());
        RefBlobB = new TestBlob("NBA Strawberry Jam on my NBA croissant"u8.ToArray());

        var subject = Manifests[4];
        RefsManifestAConfig = ConfigTypedArtifact(ArtifactTypeA, RefBlobA, subject, "test config a");
        RefsManifestBConfig = ConfigTypedArtifact(ArtifactTypeB, RefBlobB, subject, "test config b");
        RefsManifestALayer = LayerTypedArtifact(ArtifactTypeA, RefBlobA, subject, "test layer a");
        RefsManifestBLayer = LayerTypedArtifact(ArtifactTypeB, RefBlobB, subject, "test layer b");
        RefsManifestCLayer = LayerTypedArtifact(ArtifactTypeB, RefBlobB, Manifests[3], annotation: null);
        RefsIndex = ArtifactIndex(subject, [RefsManifestAConfig, RefsManifestALayer], "test index");
    }

    public IReadOnlyList<TestBlob> Configs { get; }

    public IReadOnlyList<TestBlob> Manifests { get; }

    public TestBlob Layer { get; }

    public TestBlob EmptyLayerManifest { get; }

    public TestBlob BlobA { get; }

    public ChunkedBlob BlobB { get; }

    public TestBlob EmptyJson { get; }

    public TestBlob RefBlobA { get; }

    public TestBlob RefBlobB { get; }

    public TestBlob RefsManifestAConfig { get; }

    public TestBlob RefsManifestBConfig { get; }

    public TestBlob RefsManifestALayer { get; }

    public TestBlob RefsManifestBLayer { get; }

    /// <summary>Refers to <c>Manifests[3]</c>, which the discovery workflow never pushes.</summary>
    public TestBlob RefsManifestCLayer { get; }

    public TestBlob RefsIndex { get; }

    /// <summary>The annotation value each annotated referrer was pushed with, by digest.</summary>
    public IReadOnlyDictionary<string, string> AnnotationByDigest => annotations;

    /// <summary>A well-formed digest of content no test pushes.</summary>
    public static string DummyDigest { get; } = TestBlob.DigestOf("hello world"u8);

    private static TestBlob ImageConfig()
    {
        // A random author makes every config, and so every manifest, unique.
        var config = new JsonObject
        {
            ["author"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        };
        return Serialize(config);
    }

    private static TestBlob ImageManifest(TestBlob config, IEnumerable<TestBlob> layers, bool withMediaType = true)
    {
        var configDescriptor = Descriptor("application/vnd.oci.image.config.v1+json", config);
        configDescriptor["data"] = Convert.ToBase64String(config.Content);
        configDescriptor["newUnspecifiedField"] = Convert.ToBase64String("hello world"u8);
        var manifest = new JsonObject { ["schemaVersion"] = 2 };
        if (withMediaType)
        {
            manifest["mediaType"] = RegistryApi.OciManifest;
        }

        manifest["config"] = configDescriptor;
        manifest["layers"] = new JsonArray([.. layers.Select(l => Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l))]);
        return Serialize(manifest);
    }

    /// <summary>An artifact whose type is implied by its config media type; the layer is the empty JSON blob.</summary>
    private TestBlob ConfigTypedArtifact(string artifactType, TestBlob blob, TestBlob subject, string? annotation)
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = RegistryApi.OciManifest,
            ["config"] = Descriptor(artifactType, blob),
            ["layers"] = new JsonArray(Descriptor(EmptyJsonMediaType, EmptyJson)),
            ["subject"] = Descriptor(RegistryApi.OciManifest, subject),
        };
        return Annotate(manifest, annotation);
    }

    /// <summary>An artifact that declares <c>artifactType</c>; the config is the empty JSON blob.</summary>
    private TestBlob LayerTypedArtifact(string artifactType, TestBlob blob, TestBlob subject, string? annotation)
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = RegistryApi.OciManifest,
            ["artifactType"] = artifactType,
            ["config"] = Descriptor(EmptyJsonMediaType, EmptyJson),
            ["layers"] = new JsonArray(Descriptor(artifactType, blob)),
            ["subject"] = Descriptor(RegistryApi.OciManifest, subject),
        };
        return Annotate(manifest, annotation);
    }

    private TestBlob ArtifactIndex(TestBlob subject, IEnumerable<TestBlob> manifests, string annotation)
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = RegistryApi.OciIndex,
            ["artifactType"] = ArtifactTypeIndex,
            ["manifests"] = new JsonArray([.. manifests.Select(m => Descriptor(RegistryApi.OciManifest, m))]),
            ["subject"] = Descriptor(RegistryApi.OciManifest, subject),
        };
        return Annotate(index, annotation);
    }

    private TestBlob Annotate(JsonObject document, string? annotation)
    {
        if (annotation is not null)
        {
            document["annotations"] = new JsonObject { [AnnotationKey] = annotation };
        }

        var blob = Serialize(document);
        if (annotation is not null)
        {
            annotations[blob.Digest] = annotation;
        }

        return blob;
    }

    private static JsonObject Descriptor(string mediaType, TestBlob blob) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = blob.Digest,
        ["size"] = blob.Length,
        ["newUnspecifiedField"] = null,
    };

    private static TestBlob Serialize(JsonObject document) =>
        new(Encoding.UTF8.GetBytes(document.ToJsonString(Indented)));

    /// <summary>A gzip tarball holding one small text file; the registry never looks inside.</summary>
    private static byte[] GzipLayer()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "test.txt")
            {
                DataStream = new MemoryStream("you found the conformance layer\n"u8.ToArray()),
                ModificationTime = DateTimeOffset.UnixEpoch,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            tar.WriteEntry(entry);
        }

        return compressed.ToArray();
    }
}
