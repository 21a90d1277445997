using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// <c>bulwark sbom</c> as a user runs it: documents on stdout or in files, exit code 2 with a clear message for bad
/// input, and <c>--attach</c> against the live registry, read back through the referrers API (or, on a registry
/// without one, the referrers tag).
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class SbomCliTests(LiveRegistryFixture registry) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("bulwark-sbom-cli-").FullName;
    private SbomTestLayout? layout;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task RootFs_CycloneDxOnStdout_ListsTheDpkgPackages()
    {
        var root = WriteDebianLikeRootFs();

        var result = (await BulwarkExecutable.RunAsync(["sbom", $"dir:{root}"], CancellationToken.None)).AssertSucceeded();

        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("CycloneDX", document.RootElement.GetProperty("bomFormat").GetString());
        Assert.Equal("1.6", document.RootElement.GetProperty("specVersion").GetString());
        var names = document.RootElement.GetProperty("components").EnumerateArray()
            .Select(c => $"{c.GetProperty("type").GetString()} {c.GetProperty("name").GetString()}").ToList();
        Assert.Equal(["operating-system debian", "library base-files", "library hello"], names);
        Assert.DoesNotContain("analysing", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RootFs_SpdxToFile_WritesTheDocumentAndNothingOnStdout()
    {
        var root = WriteDebianLikeRootFs();
        var output = Path.Combine(work, "sbom.spdx.json");

        var result = (await BulwarkExecutable.RunAsync(["sbom", root, "--format", "spdx", "-o", output], CancellationToken.None)).AssertSucceeded();

        Assert.Equal("", result.StandardOutput);
        using var document = JsonDocument.Parse(File.ReadAllBytes(output));
        Assert.Equal("SPDX-2.3", document.RootElement.GetProperty("spdxVersion").GetString());
        Assert.Contains(document.RootElement.GetProperty("packages").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "hello" && p.GetProperty("licenseDeclared").GetString() == "GPL-3.0-or-later");
    }

    [Fact]
    public async Task UnknownSource_ExitsWithUsageError()
    {
        var result = await BulwarkExecutable.RunAsync(["sbom", "Not A Reference!"], CancellationToken.None);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("neither an existing path nor an image reference", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task UnknownFormat_ExitsWithUsageError()
    {
        var result = await BulwarkExecutable.RunAsync(["sbom", WriteDebianLikeRootFs(), "--format", "swid"], CancellationToken.None);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("swid", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileArchive_ExitsWithUsageErrorNamingTheRule()
    {
        var archive = await WriteDockerArchiveAsync("../escape", "x");

        var result = await BulwarkExecutable.RunAsync(["sbom", $"docker-archive:{archive}"], CancellationToken.None);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("..", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task AttachToALocalPath_ExitsWithUsageError()
    {
        var result = await BulwarkExecutable.RunAsync(["sbom", WriteDebianLikeRootFs(), "--attach"], CancellationToken.None);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--attach needs an image in a registry", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultiPlatform_All_NeedsAPlatformPlaceholder_ThenWritesOneDocumentEach()
    {
        var source = $"oci:{(await LayoutAsync()).Path}:multi";

        var refused = await BulwarkExecutable.RunAsync(["sbom", source, "--platform", "all"], CancellationToken.None);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("{platform}", refused.StandardError, StringComparison.Ordinal);

        (await BulwarkExecutable.RunAsync(["sbom", source, "--platform", "all", "-o", Path.Combine(work, "sbom-{platform}.cdx.json")],
            CancellationToken.None)).AssertSucceeded();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(work, $"sbom-linux-{architecture}.cdx.json")));
            var purl = document.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("purl").GetString();
            Assert.Contains($"arch={architecture}", purl, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("cyclonedx", "application/vnd.cyclonedx+json")]
    [InlineData("spdx", "application/spdx+json")]
    public async Task Attach_PushesAReferrerThatTheRegistryLists(string format, string artifactType)
    {
        var layout = await LayoutAsync();
        var repository = $"sbom/attach-{format}";
        var target = $"{registry.HostPort}/{repository}:v1";
        (await ToolProcess.RunAsync("skopeo", ["copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout.Path}:amd64", $"docker://{target}"],
            CancellationToken.None)).AssertSucceeded();
        var subject = layout.ManifestDigests["amd64"];

        // Credentials come from the auth file the fixture logged skopeo into (REGISTRY_AUTH_FILE), as for a user after `podman login`.
        var result = (await BulwarkExecutable.RunAsync(["sbom", target, "--format", format, "--attach"], CancellationToken.None)).AssertSucceeded();

        var line = Assert.Single(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{artifactType} -> {subject}", line, StringComparison.Ordinal);
        // Bulwark has the referrers API; Distribution 2.x does not, so the client keeps the referrers tag instead.
        Assert.Equal(registry.Kind != RegistryKind.Bulwark, line.EndsWith("(referrers tag)", StringComparison.Ordinal));
        var artifact = line.Split(' ')[0].Split('@')[1];

        var referrers = await ListReferrersAsync(repository, subject);
        var entry = Assert.Single(referrers, r => r.GetProperty("digest").GetString() == artifact);
        Assert.Equal(artifactType, entry.GetProperty("artifactType").GetString());

        // Distribution serves an OCI manifest only to a client that accepts the type.
        using var manifestRequest = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{artifact}");
        manifestRequest.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var manifestResponse = await registry.Http.SendAsync(manifestRequest);
        manifestResponse.EnsureSuccessStatusCode();
        using var manifest = JsonDocument.Parse(await manifestResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(subject, manifest.RootElement.GetProperty("subject").GetProperty("digest").GetString());
        Assert.Equal("application/vnd.oci.empty.v1+json", manifest.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.True(manifest.RootElement.GetProperty("annotations").TryGetProperty("org.opencontainers.image.created", out _));
        var layer = Assert.Single(manifest.RootElement.GetProperty("layers").EnumerateArray());
        Assert.Equal(artifactType, layer.GetProperty("mediaType").GetString());
        using var sbom = JsonDocument.Parse(await registry.Http.GetByteArrayAsync($"v2/{repository}/blobs/{layer.GetProperty("digest").GetString()}"));
        Assert.True(sbom.RootElement.TryGetProperty(format == "spdx" ? "spdxVersion" : "bomFormat", out _));
    }

    [Fact]
    public async Task Attach_WithWrongCredentials_ExitsWithUsageError()
    {
        if (registry.Kind != RegistryKind.Bulwark)
        {
            return; // Distribution runs without authentication here.
        }

        var target = $"{registry.HostPort}/sbom/denied:v1";
        (await ToolProcess.RunAsync("skopeo", ["copy", "--quiet", "--dest-tls-verify=false", $"oci:{(await LayoutAsync()).Path}:amd64", $"docker://{target}"],
            CancellationToken.None)).AssertSucceeded();

        var result = await BulwarkExecutable.RunAsync(["sbom", target, "--attach", "--creds", "admin:wrong-password"], CancellationToken.None);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("wrong-password", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The referrers API (OCI 1.1), or the referrers tag <c>sha256-HEX</c> on a registry without it.</summary>
    private async Task<List<JsonElement>> ListReferrersAsync(string repository, string subject)
    {
        using var response = await registry.Http.GetAsync($"v2/{repository}/referrers/{subject}");
        var url = response.IsSuccessStatusCode ? $"v2/{repository}/referrers/{subject}" : $"v2/{repository}/manifests/{subject.Replace(':', '-')}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using var index = await registry.Http.SendAsync(request);
        index.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await index.Content.ReadAsByteArrayAsync());
        return [.. document.RootElement.GetProperty("manifests").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>A root filesystem with os-release and a two-package dpkg database (with a machine-readable copyright).</summary>
    private string WriteDebianLikeRootFs()
    {
        var root = Path.Combine(work, "rootfs");
        if (Directory.Exists(root))
        {
            return root;
        }

        Write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        Write(root, "etc/debian_version", "12.5\n");
        Write(root, "var/lib/dpkg/status", """
            Package: base-files
            Status: install ok installed
            Architecture: amd64
            Version: 12.4+deb12u5

            Package: hello
            Status: install ok installed
            Architecture: amd64
            Version: 2.10-3

            """.Replace("\r", "", StringComparison.Ordinal));
        Write(root, "usr/share/doc/hello/copyright", """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

            Files: *
            Copyright: 1992-2022 Free Software Foundation, Inc.
            License: GPL-3+

            """);
        return root;
    }

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private async Task<SbomTestLayout> LayoutAsync() => layout ??= await SbomTestLayout.WriteAsync(Path.Combine(work, "layout"));

    /// <summary>A docker-archive (<c>docker save</c> layout) whose one layer holds an entry named <paramref name="entryName"/>.</summary>
    private async Task<string> WriteDockerArchiveAsync(string entryName, string content)
    {
        using var layer = new MemoryStream();
        await using (var writer = new TarWriter(layer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
            await writer.WriteEntryAsync(entry);
        }

        var layerBytes = layer.ToArray();
        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layerBytes));
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["DIFF"]}}""".Replace("DIFF", diffId, StringComparison.Ordinal));
        var path = Path.Combine(work, "hostile.tar");
        await using (var file = File.Create(path))
        await using (var archive = new TarWriter(file, TarEntryFormat.Pax))
        {
            foreach (var (name, bytes) in new[]
            {
                ("manifest.json", Encoding.UTF8.GetBytes("""[{"Config":"config.json","RepoTags":["hostile:1"],"Layers":["layer.tar"]}]""")),
                ("config.json", config),
                ("layer.tar", layerBytes),
            })
            {
                await archive.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
            }
        }

        return path;
    }
}
