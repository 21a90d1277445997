using System.Text.Json.Nodes;

namespace Bulwark.Interop.Tests.Clients;

/// <summary>
/// Reads an OCI image layout directory (index.json + blobs/sha256/…), enough to compare what went into
/// a registry with what came back out.
/// </summary>
public sealed class OciLayout(string path)
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public string Path { get; } = path;

    /// <summary>The digest of the manifest or index tagged <paramref name="refName"/> in index.json.</summary>
    public string ManifestDigest(string refName)
    {
        var index = JsonNode.Parse(File.ReadAllBytes(System.IO.Path.Combine(Path, "index.json")))!;
        foreach (var descriptor in index["manifests"]!.AsArray())
        {
            if (descriptor?["annotations"]?[RefNameAnnotation]?.GetValue<string>() == refName)
            {
                return descriptor["digest"]!.GetValue<string>();
            }
        }

        throw new InvalidOperationException($"{Path} has no image named '{refName}'");
    }

    public byte[] ReadBlob(string digest) =>
        File.ReadAllBytes(System.IO.Path.Combine(Path, "blobs", "sha256", digest["sha256:".Length..]));

    /// <summary>
    /// Every digest reachable from <paramref name="digest"/>: the manifest itself, its config and layers, and
    /// for an index each child manifest in turn.
    /// </summary>
    public SortedSet<string> Closure(string digest)
    {
        var reachable = new SortedSet<string>(StringComparer.Ordinal);
        Visit(digest, reachable);
        return reachable;
    }

    private void Visit(string digest, SortedSet<string> reachable)
    {
        if (!reachable.Add(digest))
        {
            return;
        }

        var document = JsonNode.Parse(ReadBlob(digest))!;
        if (document["manifests"] is JsonArray children)
        {
            foreach (var child in children)
            {
                Visit(child!["digest"]!.GetValue<string>(), reachable);
            }

            return;
        }

        reachable.Add(document["config"]!["digest"]!.GetValue<string>());
        foreach (var layer in document["layers"]!.AsArray())
        {
            reachable.Add(layer!["digest"]!.GetValue<string>());
        }
    }
}
