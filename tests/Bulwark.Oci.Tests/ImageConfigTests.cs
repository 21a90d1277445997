using System.Text;

namespace Bulwark.Oci.Tests;

public sealed class ImageConfigTests
{
    private const string Config = """
        {
          "architecture": "arm64", "os": "linux", "variant": "v8", "created": "2024-05-01T10:00:00Z",
          "config": {
            "User": "app", "Env": ["PATH=/usr/bin", "SECRET=x"], "Cmd": ["/app"],
            "Labels": {"org.opencontainers.image.source": "https://example.org/app"},
            "ExposedPorts": {"8080/tcp": {}, "22/tcp": {}},
            "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost/"], "Interval": 30000000000, "Retries": 3}
          },
          "rootfs": {"type": "layers", "diff_ids": ["sha256:aa", "sha256:bb"]},
          "history": [
            {"created_by": "ADD rootfs.tar /"},
            {"created_by": "ENV SECRET=x", "empty_layer": true},
            {"created_by": "RUN apt-get install -y curl"}
          ],
          "unknown": {"ignored": true}
        }
        """;

    [Fact]
    public void Parse_ReadsTheFieldsAnalysisAndPolicyUse()
    {
        var config = ImageConfig.Parse(Encoding.UTF8.GetBytes(Config));

        Assert.Equal(("arm64", "linux", "v8"), (config.Architecture, config.Os, config.Variant));
        Assert.Equal("app", config.Config?.User);
        Assert.Equal(["PATH=/usr/bin", "SECRET=x"], config.Config?.Env);
        Assert.Equal(["22/tcp", "8080/tcp"], config.Config?.ExposedPorts?.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("CMD-SHELL", config.Config?.Healthcheck?.Test?[0]);
        Assert.Equal("https://example.org/app", config.Config?.Labels?["org.opencontainers.image.source"]);
        Assert.Equal(["sha256:aa", "sha256:bb"], config.RootFs?.DiffIds);
        Assert.Equal(["ADD rootfs.tar /", "RUN apt-get install -y curl"], config.LayerHistory().Select(h => h.CreatedBy));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"created\": \"yesterday\"}")]
    public void Parse_RejectsInvalidContent(string content) =>
        Assert.Throws<ManifestFormatException>(() => ImageConfig.Parse(Encoding.UTF8.GetBytes(content)));
}
