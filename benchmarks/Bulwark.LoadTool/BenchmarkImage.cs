using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Oci;

namespace Bulwark.LoadTool;

/// <summary>
/// A small image (config and five layers of a few KiB) whose blobs are pushed once, so that manifests
/// referring to them are accepted by registries that check references. Manifests made from it differ in an
/// annotation, so every PUT stores new content.
/// </summary>
public sealed class BenchmarkImage
{
    private const int LayerCount = 5;
    private const int LayerSize = 4096;

    private readonly byte[] config;
    private readonly List<byte[]> layers;
    private bool pushed;

    public BenchmarkImage(Guid runId)
    {
        config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
            ["config"] = new JsonObject { ["Labels"] = new JsonObject { ["run"] = runId.ToString("N") } },
        }.ToJsonString());
        layers = Enumerable.Range(0, LayerCount).Select(_ => RandomNumberGenerator.GetBytes(LayerSize)).ToList();
    }

    public async Task EnsurePushedAsync(RegistryClient client, CancellationToken cancellationToken)
    {
        if (pushed)
        {
            return;
        }

        await client.PushBlobAsync(config, cancellationToken);
        foreach (var layer in layers)
        {
            await client.PushBlobAsync(layer, cancellationToken);
        }

        pushed = true;
    }

    /// <summary>An OCI image manifest for this image, annotated with <paramref name="uniqueValue"/>.</summary>
    public byte[] CreateManifest(string uniqueValue)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciManifest);
            writer.WritePropertyName("config");
            WriteDescriptor(writer, MediaTypes.OciConfig, config);
            writer.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                WriteDescriptor(writer, MediaTypes.OciLayerGzip, layer);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("annotations");
            writer.WriteString("org.opencontainers.image.description", "bulwark load tool manifest");
            writer.WriteString("dev.bulwark.loadtool.sequence", uniqueValue);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter writer, string mediaType, byte[] content)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", mediaType);
        writer.WriteString("digest", Digest.Compute(content).ToString());
        writer.WriteNumber("size", content.Length);
        writer.WriteEndObject();
    }
}
