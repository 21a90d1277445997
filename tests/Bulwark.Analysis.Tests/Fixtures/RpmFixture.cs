using System.Buffers.Binary;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>
/// Real RPM databases built once into <c>.cache/rpm-fixture/</c>: packages built with <c>rpmbuild</c> and
/// recorded with <c>rpm --justdb</c> into a SQLite rpmdb (Debian's rpm 4.18 writes only SQLite); the same
/// header blobs loaded with libdb's <c>db5.3_load</c> into a real Berkeley DB hash <c>Packages</c>; and an
/// NDB <c>Packages.db</c> written by <see cref="WriteNdb"/> from the format (no tool here writes NDB).
/// </summary>
internal static class RpmFixture
{
    private const string Version = "2";

    public static string Directory { get; } = Path.Combine(TestPaths.Cache, "rpm-fixture");

    public static string Sqlite => Path.Combine(Directory, "sqlite", "rpmdb.sqlite");

    public static string BerkeleyDb => Path.Combine(Directory, "bdb", "Packages");

    public static string GroundTruth => Path.Combine(Directory, "rpm-qa.txt");

    /// <summary>The <c>rpm -qa</c> query format whose lines <see cref="GroundTruth"/> holds.</summary>
    public const string QueryFormat = "%{NAME}|%{EPOCHNUM}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SOURCERPM}|%{LICENSE}|%{FILENAMES}\\n";

    public static async Task EnsureAsync()
    {
        await CacheLock.EnsureAsync("rpm-fixture", Version, async () =>
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }

            var top = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "build")).FullName;
            foreach (var (name, spec) in Specs)
            {
                var specFile = Path.Combine(top, name + ".spec");
                await File.WriteAllTextAsync(specFile, spec);
                await ProcessRunner.RunAsync("rpmbuild", "--quiet", "--define", $"_topdir {top}", "-bb", specFile);
            }

            var rpms = System.IO.Directory.GetFiles(Path.Combine(top, "RPMS"), "*.rpm", SearchOption.AllDirectories);
            var dbpath = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "sqlite")).FullName;
            await ProcessRunner.RunAsync("rpm", ["--define", "_db_backend sqlite", "--dbpath", dbpath, "--initdb"]);
            await ProcessRunner.RunAsync("rpm", ["--define", "_db_backend sqlite", "--dbpath", dbpath, "-i", "--justdb", "--nodeps", "--ignorearch", "--ignoreos", .. rpms]);
            // Fold the write-ahead log into the main file so that the file alone is the database, as in images.
            await ProcessRunner.RunAsync("rpm", ["--define", "_db_backend sqlite", "--dbpath", dbpath, "--rebuilddb"]);
            await File.WriteAllTextAsync(GroundTruth,
                await ProcessRunner.RunAsync("rpm", ["--define", "_db_backend sqlite", "--dbpath", dbpath, "-qa", "--qf", QueryFormat.Replace("\\n", "\n", StringComparison.Ordinal)]));

            var dump = new StringBuilder("VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=4096\nHEADER=END\n");
            // rpm's Packages keeps a 4-byte record under key 0 next to the headers keyed by instance number.
            dump.Append(" 00000000\n 05000000\n");
            foreach (var (instance, blob) in await ReadSqliteBlobsAsync())
            {
                var key = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(key, instance);
                dump.Append(' ').Append(Convert.ToHexStringLower(key)).Append("\n ").Append(Convert.ToHexStringLower(blob)).Append('\n');
            }

            dump.Append("DATA=END\n");
            var dumpFile = Path.Combine(Directory, "bdb.dump");
            await File.WriteAllTextAsync(dumpFile, dump.ToString());
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(BerkeleyDb)!);
            await ProcessRunner.RunAsync("db5.3_load", "-f", dumpFile, BerkeleyDb);
            System.IO.Directory.Delete(top, recursive: true);
        });
    }

    public static async Task<List<(int Instance, byte[] Blob)>> ReadSqliteBlobsAsync()
    {
        var result = new List<(int, byte[])>();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Sqlite, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT hnum, blob FROM Packages ORDER BY hnum";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add((reader.GetInt32(0), (byte[])reader.GetValue(1)));
        }

        return result;
    }

    /// <summary>An NDB Packages.db laid out as rpm's rpmpkg.c writes it (one slot page, blobs in 16-byte blocks).</summary>
    public static byte[] WriteNdb(IReadOnlyList<byte[]> blobs)
    {
        const int slotPage = 4096;
        using var output = new MemoryStream();
        var header = new byte[slotPage];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 'R' | ('p' << 8) | ('m' << 16) | ((uint)'P' << 24));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), 1);
        var block = (uint)(slotPage / 16);
        var data = new MemoryStream();
        for (var slot = 0; slot < (slotPage / 16) - 2; slot++)
        {
            var at = (slot + 2) * 16;
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(at), 'S' | ('l' << 8) | ('o' << 16) | ((uint)'t' << 24));
            if (slot >= blobs.Count)
            {
                continue;
            }

            var blob = blobs[slot];
            var blocks = (uint)((16 + blob.Length + 16 + 15) / 16);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(at + 4), (uint)slot + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(at + 8), block);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(at + 12), blocks);
            var blobHeader = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(blobHeader, 'B' | ('l' << 8) | ('b' << 16) | ((uint)'S' << 24));
            BinaryPrimitives.WriteUInt32LittleEndian(blobHeader.AsSpan(4), (uint)slot + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(blobHeader.AsSpan(12), (uint)blob.Length);
            data.Write(blobHeader);
            data.Write(blob);
            data.Write(new byte[(blocks * 16) - 16 - blob.Length]);
            block += blocks;
        }

        output.Write(header);
        data.Position = 0;
        data.CopyTo(output);
        return output.ToArray();
    }

    private static readonly (string Name, string Spec)[] Specs =
    [
        ("hello", """
            Name: hello-bulwark
            Version: 1.2.3
            Release: 4.el9
            Epoch: 2
            Summary: test package with an epoch
            License: MIT and (GPLv2+ or BSD)
            BuildArch: x86_64
            %description
            test
            %install
            mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/doc/hello
            echo hi > %{buildroot}/usr/bin/hello
            echo doc > %{buildroot}/usr/share/doc/hello/README
            %files
            /usr/bin/hello
            /usr/share/doc/hello/README
            """),
        ("foo", """
            Name: foo
            Version: 0.9
            Release: 1.fc40
            Summary: a source package with a library subpackage
            License: Apache-2.0
            BuildArch: noarch
            %description
            test
            %package -n libfoo
            Summary: the library
            License: BSD-3-Clause
            %description -n libfoo
            library
            %install
            mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/lib/foo
            echo foo > %{buildroot}/usr/bin/foo
            for i in $(seq 1 200); do echo $i > %{buildroot}/usr/lib/foo/module-with-a-long-name-$i.so; done
            %files
            /usr/bin/foo
            %files -n libfoo
            /usr/lib/foo
            """),
    ];
}
