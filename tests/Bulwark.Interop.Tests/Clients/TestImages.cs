using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Interop.Tests.Conformance;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Clients;

/// <summary>
/// Small deterministic test images, built from scratch with umoci into one OCI layout and cached under
/// <c>&lt;repo&gt;/.cache/test-images/&lt;version&gt;/</c>: an amd64 and an arm64 image of two layers each
/// (the base layer is shared, the second differs per architecture), and a multi-platform index of both.
/// All timestamps are fixed, so the same recipe gives the same digests on every machine.
/// </summary>
public sealed class TestImages
{
    /// <summary>Change whenever the recipe below changes, so caches are rebuilt.</summary>
    public const string RecipeVersion = "v2";

    public const string Amd64 = "amd64";
    public const string Arm64 = "arm64";
    public const string MultiPlatform = "multi";

    private const string FixedTime = "1970-01-01T00:00:00Z";
    private static readonly JsonSerializerOptions PlainJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static TestImages? built;

    private TestImages(string layoutPath) => Layout = new OciLayout(layoutPath);

    public OciLayout Layout { get; }

    /// <summary><c>oci:&lt;layout&gt;:&lt;name&gt;</c>, the transport reference skopeo and podman read.</summary>
    public string Reference(string name) => $"oci:{Layout.Path}:{name}";

    public static async Task<TestImages> EnsureAsync(CancellationToken cancellationToken)
    {
        await BuildLock.WaitAsync(cancellationToken);
        try
        {
            if (built is not null)
            {
                return built;
            }

            var cache = Path.Combine(RepositoryRoot.Path, ".cache", "test-images", RecipeVersion);
            var layout = Path.Combine(cache, "layout");
            if (!File.Exists(Path.Combine(layout, "index.json")))
            {
                // Build beside the cache and move into place, so an interrupted build never looks finished.
                var staging = Directory.CreateDirectory(Path.Combine(cache, $".building-{Guid.NewGuid():N}"));
                try
                {
                    await BuildAsync(staging.FullName, cancellationToken);
                    Directory.Move(Path.Combine(staging.FullName, "layout"), layout);
                }
                finally
                {
                    staging.Delete(recursive: true);
                }
            }

            built = new TestImages(layout);
            return built;
        }
        finally
        {
            BuildLock.Release();
        }
    }

    private static async Task BuildAsync(string staging, CancellationToken cancellationToken)
    {
        var layout = Path.Combine(staging, "layout");
        var baseLayer = WriteTree(Path.Combine(staging, "base"), new()
        {
            ["motd"] = "Bulwark interop test image\n",
            ["bulwark-release"] = $"ID=bulwark-test\nVERSION={RecipeVersion}\n",
        });

        await UmociAsync(cancellationToken, "init", "--layout", layout);
        foreach (var architecture in new[] { Amd64, Arm64 })
        {
            var app = WriteTree(Path.Combine(staging, $"app-{architecture}"), new()
            {
                ["hello.txt"] = "hello from the second layer\n",
                ["architecture"] = architecture + "\n",
            });
            var image = $"{layout}:{architecture}";
            await UmociAsync(cancellationToken, "new", "--image", image);
            await UmociAsync(cancellationToken, "config", "--image", image, "--no-history", "--created", FixedTime, "--architecture", architecture, "--os", "linux");
            await UmociAsync(cancellationToken, "insert", "--image", image, "--history.created", FixedTime, "--history.created_by", "bulwark test base layer", baseLayer, "/etc");
            await UmociAsync(cancellationToken, "insert", "--image", image, "--history.created", FixedTime, "--history.created_by", "bulwark test app layer", app, "/app");
        }

        await UmociAsync(cancellationToken, "gc", "--layout", layout);
        AddMultiPlatformIndex(layout);
    }

    /// <summary>umoci makes single-platform images only; the index over both is written here.</summary>
    private static void AddMultiPlatformIndex(string layout)
    {
        var indexPath = Path.Combine(layout, "index.json");
        var layoutIndex = JsonNode.Parse(File.ReadAllBytes(indexPath))!;
        var manifests = layoutIndex["manifests"]!.AsArray();
        var platforms = new JsonArray();
        foreach (var architecture in new[] { Amd64, Arm64 })
        {
            var descriptor = manifests.Single(m => m?["annotations"]?[OciLayout.RefNameAnnotation]?.GetValue<string>() == architecture)!;
            platforms.Add(new JsonObject
            {
                ["mediaType"] = RegistryApi.OciManifest,
                ["digest"] = descriptor["digest"]!.GetValue<string>(),
                ["size"] = descriptor["size"]!.GetValue<long>(),
                ["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" },
            });
        }

        var imageIndex = new TestBlob(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = RegistryApi.OciIndex,
            ["manifests"] = platforms,
        }.ToJsonString(PlainJson)));
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", imageIndex.Digest["sha256:".Length..]), imageIndex.Content);
        manifests.Add(new JsonObject
        {
            ["mediaType"] = RegistryApi.OciIndex,
            ["digest"] = imageIndex.Digest,
            ["size"] = imageIndex.Length,
            ["annotations"] = new JsonObject { [OciLayout.RefNameAnnotation] = MultiPlatform },
        });
        File.WriteAllText(indexPath, layoutIndex.ToJsonString(PlainJson));
    }

    /// <summary>Writes files with fixed modes and timestamps, so that the layer tarballs are reproducible.</summary>
    private static string WriteTree(string directory, Dictionary<string, string> files)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, text);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch);
        }

        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        Directory.SetLastWriteTimeUtc(directory, DateTime.UnixEpoch);
        return directory;
    }

    private static async Task UmociAsync(CancellationToken cancellationToken, params string[] arguments) =>
        (await ToolProcess.RunAsync("umoci", arguments, cancellationToken)).AssertSucceeded();
}
