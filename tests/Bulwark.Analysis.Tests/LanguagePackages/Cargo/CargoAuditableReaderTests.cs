using System.IO.Compression;
using System.Text;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Packages.Cargo;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages.Cargo;

/// <summary>
/// cargo-auditable data in a real ELF: Debian ships no cargo-auditable binary, so the test adds a <c>.dep-v0</c>
/// section (zlib-compressed JSON in cargo-auditable's format, written here: synthetic) to a copy of
/// <c>/bin/true</c> with binutils' <c>objcopy</c>, as the linker section would be.
/// </summary>
public sealed class CargoAuditableReaderTests
{
    private const string AuditJson = """
        {"packages":[
          {"name":"hello-tool","version":"0.3.0","source":"local","dependencies":[1,2],"root":true},
          {"name":"serde","version":"1.0.197","source":"crates.io","dependencies":[3]},
          {"name":"cc","version":"1.0.90","source":"crates.io","kind":"build"},
          {"name":"serde_derive","version":"1.0.197","source":"crates.io","kind":"runtime"}
        ]}
        """;

    [Fact]
    public async Task ElfWithDepSection_PackagesAndDependencies()
    {
        await using var stream = new MemoryStream(await WithSectionAsync(Zlib(Encoding.UTF8.GetBytes(AuditJson))));

        var packages = CargoAuditableReader.TryRead(stream, "/usr/bin/hello-tool");

        Assert.NotNull(packages);
        Assert.Equal(["hello-tool@0.3.0", "serde@1.0.197", "cc@1.0.90", "serde_derive@1.0.197"], packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.All(packages, p => Assert.Equal((PackageTypes.Cargo, "/usr/bin/hello-tool"), (p.Type, p.FoundIn)));
        Assert.Equal(["pkg:cargo/serde@1.0.197", "pkg:cargo/cc@1.0.90"], packages[0].DependsOn);
        Assert.Equal(["pkg:cargo/serde_derive@1.0.197"], packages[1].DependsOn);
        Assert.True(packages[2].Development);
        Assert.Null(packages[1].Development);
    }

    [Fact]
    public async Task ElfWithoutSection_IsNull()
    {
        await using var stream = File.OpenRead("/bin/true");

        Assert.Null(CargoAuditableReader.TryRead(stream, "/bin/true"));
    }

    [Fact]
    public async Task CorruptZlib_IsNull()
    {
        await using var stream = new MemoryStream(await WithSectionAsync(Encoding.UTF8.GetBytes("this is not zlib data at all")));

        Assert.Null(CargoAuditableReader.TryRead(stream, "/x"));
    }

    [Fact]
    public async Task DecompressionBomb_StopsAtTheJsonBound()
    {
        // 64 MiB of spaces compresses to ~64 KiB; the reader stops at MaxJsonBytes.
        var bomb = Zlib(Encoding.UTF8.GetBytes("{\"packages\":[]" + new string(' ', 64 * 1024 * 1024) + "}"));
        await using var stream = new MemoryStream(await WithSectionAsync(bomb));

        Assert.Null(CargoAuditableReader.TryRead(stream, "/x"));
    }

    [Theory]
    [InlineData("""{"packages":[{"name":"a","version":"1","dependencies":[7]}]}""")]
    [InlineData("""{"packages":[{"name":"a"}]}""")]
    [InlineData("""{"nope":1}""")]
    [InlineData("""[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]""")]
    public async Task MalformedJson_IsNull(string json)
    {
        await using var stream = new MemoryStream(await WithSectionAsync(Zlib(Encoding.UTF8.GetBytes(json))));

        Assert.Null(CargoAuditableReader.TryRead(stream, "/x"));
    }

    private static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>The bytes of <c>/bin/true</c> with a <c>.dep-v0</c> section holding <paramref name="section"/>, made by objcopy.</summary>
    private static async Task<byte[]> WithSectionAsync(byte[] section)
    {
        var directory = Directory.CreateTempSubdirectory("bulwark-cargo-").FullName;
        try
        {
            var sectionFile = Path.Combine(directory, "dep-v0");
            await File.WriteAllBytesAsync(sectionFile, section);
            var output = Path.Combine(directory, "hello-tool");
            await ProcessRunner.RunAsync("objcopy", "--add-section", ".dep-v0=" + sectionFile, "--set-section-flags", ".dep-v0=noload,readonly", "/bin/true", output);
            return await File.ReadAllBytesAsync(output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
