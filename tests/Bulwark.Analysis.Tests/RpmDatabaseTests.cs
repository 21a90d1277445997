using System.Buffers.Binary;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Packages;
using Bulwark.Analysis.Packages.Rpm;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests;

/// <summary>RPM packages from real SQLite and Berkeley DB databases and a format-built NDB one, checked against <c>rpm -qa</c>.</summary>
public sealed class RpmDatabaseTests
{
    private const string OsRelease = "ID=\"rhel\"\nVERSION_ID=\"9.4\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 9.4 (Plow)\"\n";

    private static async Task<ImageInventory> AnalyzeAsync(string path, params byte[][] databasesPerLayer)
    {
        var layers = databasesPerLayer.Select((db, i) =>
        {
            using var tar = new TarBuilder();
            if (i == 0)
            {
                tar.File("etc/os-release", OsRelease);
            }

            return TarBuilder.Gzip(tar.File(path, db).ToArray());
        }).ToArray();
        return await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(layers));
    }

    private static async Task<List<string>> GroundTruthAsync()
    {
        await RpmFixture.EnsureAsync();
        return [.. (await File.ReadAllLinesAsync(RpmFixture.GroundTruth)).Where(l => l.Length > 0).Select(l =>
        {
            var f = l.Split('|');
            var evr = f[1] == "0" ? $"{f[2]}-{f[3]}" : $"{f[1]}:{f[2]}-{f[3]}";
            return $"{f[0]} {evr} {f[4]} {f[5]} {f[6]}";
        }).Order(StringComparer.Ordinal)];
    }

    private static List<string> Describe(ImageInventory inventory) =>
        [.. inventory.Packages.Select(p => $"{p.Name} {p.Version} {p.Architecture} {p.SourceName}-{SourceVersionWithoutEpoch(p)}.src.rpm {string.Join(' ', p.Licenses)}")
            .Order(StringComparer.Ordinal)];

    private static string SourceVersionWithoutEpoch(Package p) => p.SourceVersion![(p.SourceVersion!.IndexOf(':', StringComparison.Ordinal) + 1)..];

    public static TheoryData<string> Formats => ["sqlite", "bdb", "ndb"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Database_ListsWhatRpmLists(string format)
    {
        var truth = await GroundTruthAsync();
        var (path, content) = format switch
        {
            "sqlite" => ("var/lib/rpm/rpmdb.sqlite", await File.ReadAllBytesAsync(RpmFixture.Sqlite)),
            "bdb" => ("var/lib/rpm/Packages", await File.ReadAllBytesAsync(RpmFixture.BerkeleyDb)),
            _ => ("usr/lib/sysimage/rpm/Packages.db", RpmFixture.WriteNdb([.. (await RpmFixture.ReadSqliteBlobsAsync()).Select(b => b.Blob)])),
        };

        var inventory = await AnalyzeAsync(path, content);

        Assert.Equal(3, truth.Count);
        Assert.Equal(truth, Describe(inventory));
        Assert.Empty(inventory.Warnings);
        var hello = Assert.Single(inventory.Packages, p => p.Name == "hello-bulwark");
        Assert.Equal(("2:1.2.3-4.el9", "hello-bulwark", "2:1.2.3-4.el9"), (hello.Version, hello.SourceName, hello.SourceVersion));
        Assert.Equal(["/usr/bin/hello", "/usr/share/doc/hello/README"], hello.Files);
        Assert.Equal("pkg:rpm/rhel/hello-bulwark@1.2.3-4.el9?arch=x86_64&distro=rhel-9.4&epoch=2", hello.Purl);
        var library = Assert.Single(inventory.Packages, p => p.Name == "libfoo");
        Assert.Equal(("foo", "0.9-1.fc40"), (library.SourceName, library.SourceVersion));
        Assert.Equal(201, library.Files.Count);
        Assert.Equal("/" + path, library.FoundIn);
    }

    [Fact]
    public async Task Packages_AreAttributedToTheFirstLayerWhoseDatabaseHasThem()
    {
        var blobs = (await RpmFixture.ReadSqliteBlobsAsync()).Select(b => b.Blob).ToList();
        var helloOnly = blobs.Where(b => RpmHeaderDecoder.Decode(b).Name == "hello-bulwark").ToList();

        var inventory = await AnalyzeAsync("var/lib/rpm/Packages.db", RpmFixture.WriteNdb(helloOnly), RpmFixture.WriteNdb(blobs));

        Assert.Equal(0, Assert.Single(inventory.Packages, p => p.Name == "hello-bulwark").LayerIndex);
        Assert.Equal(1, Assert.Single(inventory.Packages, p => p.Name == "libfoo").LayerIndex);
        Assert.Equal("layer1", Assert.Single(inventory.Packages, p => p.Name == "foo").LayerDigest);
    }

    [Fact]
    public async Task BerkeleyDb_ReadsOverflowChainsAndOnPageItems()
    {
        await RpmFixture.EnsureAsync();
        await using var file = File.OpenRead(RpmFixture.BerkeleyDb);

        var values = BerkeleyDbHashReader.ReadValues(file).ToList();

        // The 4-byte counter record is stored on the page; the headers (one over 4 KiB) in overflow pages.
        Assert.Contains(values, v => v.Length == 4);
        Assert.Contains(values, v => v.Length > 4096);
        var expected = (await RpmFixture.ReadSqliteBlobsAsync()).Select(b => Convert.ToHexString(b.Blob)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, values.Where(v => v.Length > 4).Select(Convert.ToHexString).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BerkeleyDb_OverflowLoop_IsRefused()
    {
        await RpmFixture.EnsureAsync();
        var bytes = await File.ReadAllBytesAsync(RpmFixture.BerkeleyDb);
        const int pageSize = 4096;
        // Point every overflow page's next-page link at itself.
        for (var page = 1; page < bytes.Length / pageSize; page++)
        {
            if (bytes[(page * pageSize) + 25] == 7)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((page * pageSize) + 16), (uint)page);
            }
        }

        Assert.Throws<PackageDatabaseException>(() => BerkeleyDbHashReader.ReadValues(new MemoryStream(bytes)).ToList());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(20)]
    public async Task BerkeleyDb_CorruptMetadata_IsRefused(int offset)
    {
        await RpmFixture.EnsureAsync();
        var bytes = await File.ReadAllBytesAsync(RpmFixture.BerkeleyDb);
        var corrupt = offset == 0 ? bytes[..100] : bytes;
        if (offset > 0)
        {
            corrupt[offset] ^= 0x55;
        }

        Assert.Throws<PackageDatabaseException>(() => BerkeleyDbHashReader.ReadValues(new MemoryStream(corrupt)).ToList());
    }

    [Fact]
    public async Task Ndb_BlobPointingOutsideTheFile_IsRefused()
    {
        var blobs = (await RpmFixture.ReadSqliteBlobsAsync()).Select(b => b.Blob).ToList();
        var ndb = RpmFixture.WriteNdb(blobs);
        BinaryPrimitives.WriteUInt32LittleEndian(ndb.AsSpan((2 * 16) + 8), 0x7fffffff);

        Assert.Throws<PackageDatabaseException>(() => NdbPackagesReader.ReadBlobs(new MemoryStream(ndb)).ToList());
    }

    [Fact]
    public async Task HeaderDecoder_RejectsEveryTruncation()
    {
        var blob = (await RpmFixture.ReadSqliteBlobsAsync())[0].Blob;

        for (var length = 0; length < blob.Length; length += 7)
        {
            Assert.Throws<PackageDatabaseException>(() => RpmHeaderDecoder.Decode(blob.AsSpan(0, length)));
        }
    }

    [Fact]
    public async Task HeaderDecoder_RejectsCountsAndOffsetsOutOfRange()
    {
        var blob = (await RpmFixture.ReadSqliteBlobsAsync())[0].Blob;
        var indexCount = BinaryPrimitives.ReadInt32BigEndian(blob);
        for (var i = 0; i < indexCount; i++)
        {
            var tampered = (byte[])blob.Clone();
            BinaryPrimitives.WriteInt32BigEndian(tampered.AsSpan(8 + (16 * i) + 8), int.MaxValue);
            var decoded = Record.Exception(() => RpmHeaderDecoder.Decode(tampered));
            Assert.True(decoded is null or PackageDatabaseException, decoded?.ToString());
        }

        var huge = (byte[])blob.Clone();
        BinaryPrimitives.WriteInt32BigEndian(huge, 0x7fffffff);
        Assert.Throws<PackageDatabaseException>(() => RpmHeaderDecoder.Decode(huge));
    }

    [Theory]
    [InlineData("bash-5.1.8-6.el9.src.rpm", null, "bash", "5.1.8-6.el9")]
    [InlineData("python3-dateutil-2.8.1-6.el9.src.rpm", 1, "python3-dateutil", "1:2.8.1-6.el9")]
    [InlineData("weird.rpm", null, null, null)]
    [InlineData(null, null, null, null)]
    public void SourceRpm_IsSplitIntoNameAndVersion(string? sourceRpm, int? epoch, string? name, string? version) =>
        Assert.Equal((name, version), RpmAnalyzer.ParseSourceRpm(sourceRpm, epoch));
}
