using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Packages.Binaries;
using Bulwark.Analysis.Packages.Golang;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages.Golang;

/// <summary>Go build info read from real binaries, checked against <c>go version -m</c>.</summary>
public sealed class GoBuildInfoReaderTests
{
    [Fact]
    public async Task ModuleBinary_MainModuleDependenciesAndReplacement()
    {
        var binary = await LanguageFixtures.GoBinaryAsync();
        await using var stream = File.OpenRead(binary);

        var info = GoBuildInfoReader.TryRead(stream);

        Assert.NotNull(info);
        Assert.Equal(await GoVersionMAsync(binary), Describe(info));
        Assert.Equal(new GoModule("example.com/bulwark-fixture", "(devel)", ""), info.Main);
        Assert.Equal(new GoModule("./greeting", "(devel)", ""), Assert.Single(info.Dependencies, d => d.Path == "example.com/greeting").Replace);
        Assert.Contains(info.Settings, s => s.Key == "GOARCH" && s.Value == "amd64");

        var packages = info.ToPackages("/usr/bin/bulwark-fixture");
        Assert.Equal(
            ["example.com/bulwark-fixture@(devel)", "example.com/greeting@v0.0.0", "github.com/google/uuid@v1.3.0", $"stdlib@{info.GoVersion}"],
            packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.All(packages, p => Assert.Equal((PackageTypes.Golang, "/usr/bin/bulwark-fixture"), (p.Type, p.FoundIn)));
        Assert.Equal("pkg:golang/github.com/google/uuid@v1.3.0", packages[2].Purl);
        Assert.StartsWith("pkg:golang/stdlib@go1.", packages[3].Purl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/usr/bin/skopeo", "github.com/containers/skopeo/cmd/skopeo")]
    [InlineData("/usr/bin/umoci", "github.com/opencontainers/umoci/cmd/umoci")]
    public async Task DebianBinary_PathAndToolchainWithoutModules(string binary, string path)
    {
        await using var stream = File.OpenRead(binary);

        var info = GoBuildInfoReader.TryRead(stream);

        Assert.NotNull(info);
        Assert.Equal(await GoVersionMAsync(binary), Describe(info));
        Assert.Equal(path, info.Path);
        // Debian builds in GOPATH mode: no module lines, so only the toolchain is a package.
        Assert.Null(info.Main);
        var stdlib = Assert.Single(info.ToPackages(binary));
        Assert.Equal(("stdlib", info.GoVersion), (stdlib.Name, stdlib.Version));
    }

    [Fact]
    public async Task StrippedSectionHeaders_FoundByScanningTheDataSegment()
    {
        // Remove the section header table's pointer (e_shoff = 0): the reader must fall back to the scan.
        var bytes = await File.ReadAllBytesAsync(await LanguageFixtures.GoBinaryAsync());
        Array.Clear(bytes, 40, 8);
        Array.Clear(bytes, 60, 4);

        var info = GoBuildInfoReader.TryRead(new MemoryStream(bytes));

        Assert.Equal("example.com/bulwark-fixture", info?.Main?.Path);
    }

    [Fact]
    public async Task PointerFormat_OfGoBefore118_IsFollowedThroughTheSegments()
    {
        // Rewrite the real binary's header in the pre-1.18 layout: flags 0, then pointers to two Go string headers
        // (data pointer, length) whose bytes lie in the same writable segment.
        var path = await LanguageFixtures.GoBinaryAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        var expected = GoBuildInfoReader.TryRead(new MemoryStream(bytes));
        var section = ElfFile.TryRead(new MemoryStream(bytes))!.FindSection(".go.buildinfo")!;
        var (offset, address) = ((int)section.Offset, section.Address);
        var version = "go1.17.13"u8.ToArray();
        var modInfo = System.Text.Encoding.UTF8.GetBytes("path\texample.com/old\nmod\texample.com/old\tv1.2.3\th1:x=\ndep\tgolang.org/x/sys\tv0.1.0\th1:y=\n");
        bytes[offset + 15] = 0;
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 16), address + 32);
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 24), address + 48);
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 32), address + 64);
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 40), (ulong)version.Length);
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 48), address + 64 + (ulong)version.Length);
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 56), (ulong)modInfo.Length);
        version.CopyTo(bytes, offset + 64);
        modInfo.CopyTo(bytes, offset + 64 + version.Length);

        var info = GoBuildInfoReader.TryRead(new MemoryStream(bytes));

        Assert.NotNull(expected);
        Assert.NotNull(info);
        Assert.Equal("go1.17.13", info.GoVersion);
        Assert.Equal(new GoModule("example.com/old", "v1.2.3", "h1:x="), info.Main);
        Assert.Equal([new GoModule("golang.org/x/sys", "v0.1.0", "h1:y=")], info.Dependencies);
    }

    [Fact]
    public async Task PointerFormat_PointingOutsideTheSegments_IsNull()
    {
        var bytes = await File.ReadAllBytesAsync(await LanguageFixtures.GoBinaryAsync());
        var offset = (int)ElfFile.TryRead(new MemoryStream(bytes))!.FindSection(".go.buildinfo")!.Offset;
        bytes[offset + 15] = 0;
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 16), 0xdead_0000_0000UL);
        BitConverter.TryWriteBytes(bytes.AsSpan(offset + 24), ulong.MaxValue - 4);

        Assert.Null(GoBuildInfoReader.TryRead(new MemoryStream(bytes)));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' })]
    public void NotGo_IsNull(byte[] bytes) => Assert.Null(GoBuildInfoReader.TryRead(new MemoryStream(bytes)));

    [Fact]
    public async Task NonGoElf_IsNull()
    {
        await using var stream = File.OpenRead("/bin/ls");

        Assert.Null(GoBuildInfoReader.TryRead(stream));
    }

    [Fact]
    public void TruncatedOrLyingLengths_AreNullNotExceptions()
    {
        var header = new byte[32];
        header[0] = 0xff;
        " Go buildinf:"u8.CopyTo(header.AsSpan(1));
        header[14] = 8;
        header[15] = 2;
        // A varint length far past the end of the data.
        byte[] data = [.. new byte[16], .. header, 0xff, 0xff, 0xff, 0xff, 0x0f, (byte)'g'];

        Assert.Null(GoBuildInfoReader.TryRead(new MemoryStream(data)));
    }

    [Fact]
    public void Parse_ModuleReplacedByAnotherModule_ReportsTheReplacement()
    {
        var info = GoBuildInfoReader.Parse("go1.22.1 X:boringcrypto", "path\tx/cmd\nmod\tx\tv1.0.0\th1:a=\ndep\tgolang.org/x/net\tv0.1.0\th1:b=\n=>\tgithub.com/fork/net\tv0.1.1\th1:c=\n");

        Assert.Equal("go1.22.1", info.GoVersion);
        Assert.Equal(["x@v1.0.0", "github.com/fork/net@v0.1.1", "stdlib@go1.22.1"], info.ToPackages("/x").Select(p => $"{p.Name}@{p.Version}"));
    }

    /// <summary>The same shape as <c>go version -m</c> prints (toolchain, then tab-indented lines).</summary>
    private static string Describe(GoBuildInfo info)
    {
        var lines = new List<string> { info.GoVersion };
        if (info.Path is not null)
        {
            lines.Add($"path\t{info.Path}");
        }

        if (info.Main is { } main)
        {
            lines.Add($"mod\t{main.Path}\t{main.Version}\t{main.Sum}");
        }

        foreach (var dep in info.Dependencies)
        {
            lines.Add($"dep\t{dep.Path}\t{dep.Version}\t{dep.Sum}");
            if (dep.Replace is { } r)
            {
                lines.Add($"=>\t{r.Path}\t{r.Version}\t{r.Sum}");
            }
        }

        lines.AddRange(info.Settings.Select(s => $"build\t{s.Key}={s.Value}"));
        return string.Join('\n', lines.Select(l => l.TrimEnd('\t')));
    }

    private static async Task<string> GoVersionMAsync(string binary)
    {
        var output = await ProcessRunner.RunAsync("go", "version", "-m", binary);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\t', ' ')).Where(l => l.Length > 0).ToList();
        lines[0] = lines[0][(lines[0].IndexOf(": ", StringComparison.Ordinal) + 2)..];
        // go version -m quotes settings values with spaces; the reader unquotes them.
        return string.Join('\n', lines.Select(l => l.StartsWith("build\t", StringComparison.Ordinal) ? l.Replace("\"", "", StringComparison.Ordinal) : l)
            .Select(l => l.TrimEnd('\t')));
    }
}
