using System.Text;

namespace Bulwark.Oci.Tests;

public sealed class ManifestParserTests
{
    private const string ConfigDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    private const string LayerDigest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static ManifestDocument Parse(string json, string? contentType = null) =>
        ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType);

    private static string Image(string extra = "") => $$$"""
        {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}",
         "config":{"mediaType":"{{{MediaTypes.OciConfig}}}","digest":"{{{ConfigDigest}}}","size":2},
         "layers":[{"mediaType":"{{{MediaTypes.OciLayerGzip}}}","digest":"{{{LayerDigest}}}","size":0}]{{{extra}}}}
        """;

    [Fact]
    public void Parse_ImageManifest_ListsConfigAndLayers()
    {
        var manifest = Parse(Image(), MediaTypes.OciManifest);
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal([ConfigDigest, LayerDigest], manifest.References.Select(d => d.Digest));
        Assert.Equal(MediaTypes.OciConfig, manifest.EffectiveArtifactType);
        Assert.Null(manifest.Subject);
    }

    [Fact]
    public void Parse_ArtifactWithSubject_ReadsSubjectAndAnnotations()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"application/vnd.example.sbom",
             "config":{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{ConfigDigest}}}","size":2},
             "layers":[],
             "subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{LayerDigest}}}","size":10},
             "annotations":{"org.example":"x"}}
            """;
        var manifest = Parse(json);
        Assert.Equal("application/vnd.example.sbom", manifest.EffectiveArtifactType);
        Assert.Equal(LayerDigest, manifest.Subject!.Digest);
        Assert.Equal("x", manifest.Annotations!["org.example"]);
    }

    [Fact]
    public void Parse_Index_ListsChildManifests()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{ConfigDigest}}}","size":5,"platform":{"architecture":"amd64","os":"linux"}}]}
            """;
        var index = Parse(json, MediaTypes.OciIndex + "; charset=utf-8");
        Assert.True(index.IsIndex);
        Assert.Equal("linux/amd64", index.References[0].Platform!.ToString());
    }

    [Fact]
    public void Parse_DockerManifestWithoutMediaTypeField_UsesContentType()
    {
        var json = $$$"""
            {"schemaVersion":2,
             "config":{"mediaType":"{{{MediaTypes.DockerConfig}}}","digest":"{{{ConfigDigest}}}","size":2},
             "layers":[]}
            """;
        Assert.Equal(MediaTypes.DockerManifest, Parse(json, MediaTypes.DockerManifest).MediaType);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\":1}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"text/plain\",\"manifests\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:abc\",\"size\":1}]}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + LayerDigest + "\",\"size\":-1}]}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[],\"annotations\":{\"a\":1}}")]
    public void Parse_Malformed_Throws(string json)
    {
        Assert.Throws<ManifestFormatException>(() => Parse(json));
    }

    [Fact]
    public void Parse_MediaTypeDisagreesWithContentType_Throws()
    {
        Assert.Throws<ManifestFormatException>(() => Parse(Image(), MediaTypes.DockerManifest));
    }

    [Fact]
    public void Parse_EmptyConfigWithoutArtifactType_Throws()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}",
             "config":{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{ConfigDigest}}}","size":2},"layers":[]}
            """;
        Assert.Throws<ManifestFormatException>(() => Parse(json));
    }

    [Fact]
    public void Parse_DeeplyNested_IsRejected()
    {
        var json = "{\"schemaVersion\":2,\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        Assert.Throws<ManifestFormatException>(() => Parse(json));
    }
}
