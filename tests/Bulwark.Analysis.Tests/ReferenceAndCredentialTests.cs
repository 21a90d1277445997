using System.Text;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Sources;
using Bulwark.Oci;

namespace Bulwark.Analysis.Tests;

public sealed class ReferenceAndCredentialTests
{
    [Theory]
    [InlineData("debian", "docker.io", "library/debian", "latest", null)]
    [InlineData("debian:12", "docker.io", "library/debian", "12", null)]
    [InlineData("ghcr.io/org/app:v1", "ghcr.io", "org/app", "v1", null)]
    [InlineData("localhost:5000/app", "localhost:5000", "app", "latest", null)]
    [InlineData("127.0.0.1:5000/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "127.0.0.1:5000", "a/b", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("index.docker.io/user/app", "docker.io", "user/app", "latest", null)]
    public void ImageReference_ParsesLikeDocker(string value, string registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(value);

        Assert.Equal((registry, repository, tag, digest), (reference.Registry, reference.Repository, reference.Tag, reference.Digest?.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER/case")]
    [InlineData("app@sha256:short")]
    [InlineData("app:bad tag")]
    public void ImageReference_RejectsInvalid(string value) => Assert.False(ImageReference.TryParse(value, out _));

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.com", false)]
    [InlineData("10.0.0.1:5000", false)]
    public void Loopback_IsRecognised(string host, bool loopback) => Assert.Equal(loopback, RegistryClient.IsLoopback(host));

    [Fact]
    public void AuthFiles_FollowTheContainersOrderAndMostSpecificKey()
    {
        var directory = Directory.CreateTempSubdirectory("bulwark-auth-").FullName;
        try
        {
            static string AuthJson(params (string Key, string User, string Password)[] entries) =>
                System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["auths"] = entries.ToDictionary(e => e.Key, e => new { auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{e.User}:{e.Password}")) }),
                });
            var explicitFile = Path.Combine(directory, "explicit.json");
            File.WriteAllText(explicitFile, AuthJson(("reg.example.com/team", "team", "t"), ("reg.example.com", "host", "h")));
            Directory.CreateDirectory(Path.Combine(directory, "home", ".docker"));
            File.WriteAllText(Path.Combine(directory, "home", ".docker", "config.json"),
                AuthJson(("https://index.docker.io/v1/", "hub", "secret"), ("other.example.com", "o", "p")));
            var environment = new Dictionary<string, string> { ["REGISTRY_AUTH_FILE"] = explicitFile };
            var files = new RegistryAuthFiles(environment.GetValueOrDefault, Path.Combine(directory, "home"));

            Assert.Equal(new RegistryCredential("team", "t"), files.Find("reg.example.com", "team/app"));
            Assert.Equal(new RegistryCredential("host", "h"), files.Find("reg.example.com", "other/app"));
            Assert.Equal(new RegistryCredential("hub", "secret"), files.Find("docker.io", "library/debian"));
            Assert.Equal(new RegistryCredential("o", "p"), files.Find("other.example.com", "x"));
            Assert.Null(files.Find("none.example.com", "x"));
            Assert.DoesNotContain("secret", new RegistryCredential("hub", "secret").ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void PackageUrl_EncodesAndSortsQualifiers() =>
        Assert.Equal("pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12",
            PackageUrl.Create("deb", "debian", "libstdc++6", "12.2.0-14", [new("distro", "debian-12"), new("arch", "amd64"), new("empty", null)]));

    [Theory]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8")]
    [InlineData("linux/amd64", "linux", "amd64", null)]
    public void PlatformSelection_Parses(string value, string os, string architecture, string? variant)
    {
        var selection = PlatformSelection.Parse(value);

        Assert.Equal((os, architecture, variant), (selection.Os, selection.Architecture, selection.Variant));
        Assert.True(selection.Matches(new Platform { Os = os, Architecture = architecture, Variant = variant }));
        Assert.False(selection.Matches(new Platform { Os = os, Architecture = "s390x" }));
    }
}
