using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Java;

/// <summary>
/// Finds the Maven artifacts in a Java archive, as Trivy and Syft do: every
/// <c>META-INF/maven/&lt;group&gt;/&lt;artifact&gt;/pom.properties</c>; without one, the main section of
/// <c>META-INF/MANIFEST.MF</c>; without a version there, the file name (<c>name-1.2.3.jar</c>). Archives nested
/// anywhere inside (<c>WEB-INF/lib</c>, <c>BOOT-INF/lib</c>, an ear's wars) are read the same way, each reported as
/// found in <c>outer.war!/WEB-INF/lib/x.jar</c>. Every bound of <see cref="JavaArchiveLimits"/> holds; a corrupt
/// archive or a broken bound is a warning, never an exception.
/// </summary>
public static partial class JavaArchiveReader
{
    private static readonly string[] ArchiveExtensions = [".jar", ".war", ".ear", ".jpi", ".hpi"];

    public sealed record Result(IReadOnlyList<Package> Packages, IReadOnlyList<string> Warnings);

    /// <summary>Reads a seekable archive stream; <paramref name="foundIn"/> names it in packages and warnings.</summary>
    public static Task<Result> ReadAsync(Stream archive, string foundIn, JavaArchiveLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var state = new State(limits ?? JavaArchiveLimits.Default, cancellationToken);
        Read(archive, foundIn, depth: 0, state);
        return Task.FromResult(new Result(state.Packages, state.Warnings));
    }

    private sealed class State(JavaArchiveLimits limits, CancellationToken cancellationToken)
    {
        public JavaArchiveLimits Limits { get; } = limits;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public List<Package> Packages { get; } = [];

        public List<string> Warnings { get; } = [];

        public long BytesRead { get; set; }

        public int Archives { get; set; }
    }

    private sealed class BudgetExceededException(string message) : Exception(message);

    private static void Read(Stream stream, string foundIn, int depth, State state)
    {
        state.CancellationToken.ThrowIfCancellationRequested();
        if (++state.Archives > state.Limits.MaxArchives)
        {
            state.Warnings.Add($"{foundIn}: more than {state.Limits.MaxArchives} nested archives; not read");
            return;
        }

        try
        {
            var entries = CentralDirectoryEntryCount(stream);
            if (entries > state.Limits.MaxEntries)
            {
                state.Warnings.Add($"{foundIn}: {entries} entries, over the {state.Limits.MaxEntries}-entry limit; not read");
                return;
            }

            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            ReadEntries(zip, foundIn, depth, state);
        }
        catch (BudgetExceededException e)
        {
            state.Warnings.Add($"{foundIn}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            state.Warnings.Add($"{foundIn}: not a readable zip archive ({e.Message})");
        }
    }

    private static void ReadEntries(ZipArchive zip, string foundIn, int depth, State state)
    {
        var found = new List<Package>();
        string? manifest = null;
        var nested = new List<ZipArchiveEntry>();
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName;
            if (name.StartsWith("META-INF/maven/", StringComparison.Ordinal) && name.EndsWith("/pom.properties", StringComparison.Ordinal))
            {
                if (FromPomProperties(ReadText(entry, foundIn, state), foundIn) is { } package)
                {
                    found.Add(package);
                }
            }
            else if (name.Equals("META-INF/MANIFEST.MF", StringComparison.OrdinalIgnoreCase))
            {
                manifest = ReadText(entry, foundIn, state);
            }
            else if (ArchiveExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) && !name.EndsWith('/'))
            {
                nested.Add(entry);
            }
        }

        if (found.Count == 0 && FromManifestOrFileName(manifest, foundIn) is { } fallback)
        {
            found.Add(fallback);
        }

        state.Packages.AddRange(found.DistinctBy(p => p.Purl));
        foreach (var entry in nested)
        {
            var nestedName = foundIn + "!/" + entry.FullName;
            if (depth + 1 > state.Limits.MaxDepth)
            {
                state.Warnings.Add($"{nestedName}: nested deeper than {state.Limits.MaxDepth} archives; not read");
                continue;
            }

            using var buffer = ReadBounded(entry, state.Limits.MaxNestedArchiveBytes, nestedName, state);
            if (buffer is not null)
            {
                Read(buffer, nestedName, depth + 1, state);
            }
        }
    }

    private static string? ReadText(ZipArchiveEntry entry, string foundIn, State state)
    {
        using var buffer = ReadBounded(entry, state.Limits.MaxMetadataBytes, foundIn + "!/" + entry.FullName, state);
        return buffer is null ? null : Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Decompresses one entry into memory, never more than <paramref name="max"/> bytes whatever its header claims
    /// (a bomb stops at the bound), and counts the bytes against the archive's total budget.
    /// </summary>
    private static MemoryStream? ReadBounded(ZipArchiveEntry entry, long max, string name, State state)
    {
        if (entry.Length > max)
        {
            state.Warnings.Add($"{name}: {entry.Length} bytes uncompressed, over the {max}-byte limit; not read");
            return null;
        }

        var buffer = new MemoryStream();
        using var input = entry.Open();
        var chunk = new byte[81920];
        int read;
        while ((read = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            state.BytesRead += read;
            if (state.BytesRead > state.Limits.MaxTotalBytes)
            {
                buffer.Dispose();
                throw new BudgetExceededException($"over {state.Limits.MaxTotalBytes} uncompressed bytes read in all; the rest is not read");
            }

            if (buffer.Length + read > max)
            {
                buffer.Dispose();
                state.Warnings.Add($"{name}: expands past the {max}-byte limit (its header said {entry.Length}); not read");
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>
    /// The entry count the end-of-central-directory record (or its ZIP64 twin) announces, read before
    /// <see cref="ZipArchive"/> materialises every entry. -1 when there is no such record (the zip reader then refuses it).
    /// </summary>
    private static long CentralDirectoryEntryCount(Stream stream)
    {
        const int eocdSize = 22;
        var tailLength = (int)Math.Min(stream.Length, eocdSize + ushort.MaxValue);
        var tail = new byte[tailLength];
        stream.Position = stream.Length - tailLength;
        stream.ReadExactly(tail);
        stream.Position = 0;
        for (var i = tailLength - eocdSize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != 0x06054b50)
            {
                continue;
            }

            long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 10));
            // ZIP64: the locator sits just before the record and points at the ZIP64 end record.
            if (count == ushort.MaxValue && i >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i - 20)) == 0x07064b50)
            {
                var offset = BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(i - 12));
                if (offset < 0 || offset > stream.Length - 56)
                {
                    throw new InvalidDataException("ZIP64 end record outside the file");
                }

                var record = new byte[56];
                stream.Position = offset;
                stream.ReadExactly(record);
                stream.Position = 0;
                count = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(32));
            }

            return count;
        }

        return -1;
    }

    private static Package? FromPomProperties(string? text, string foundIn)
    {
        if (text is null)
        {
            return null;
        }

        var properties = JavaProperties.Parse(text);
        return properties.TryGetValue("groupId", out var group) && properties.TryGetValue("artifactId", out var artifact)
            && properties.TryGetValue("version", out var version) && group.Length > 0 && artifact.Length > 0 && version.Length > 0
            ? Create(group, artifact, version, foundIn)
            : null;
    }

    /// <summary>
    /// The version from the manifest's main section (Implementation-, Bundle-, Specification-Version), else from
    /// the file name; the artifact from the file name, else Bundle-SymbolicName (titles are prose, not ids); the
    /// group from Implementation-Vendor-Id. Trivy and Syft fall back the same way.
    /// </summary>
    private static Package? FromManifestOrFileName(string? manifest, string foundIn)
    {
        var attributes = manifest is null ? new Dictionary<string, string>() : JavaManifest.MainAttributes(manifest);
        var fileName = foundIn[(foundIn.LastIndexOf('/') + 1)..];
        var match = FileNamePattern().Match(fileName);
        var version = Attribute(attributes, "Implementation-Version", "Bundle-Version", "Specification-Version")
            ?? (match.Success ? match.Groups["version"].Value : null);
        var artifact = match.Success ? match.Groups["name"].Value
            : Attribute(attributes, "Bundle-SymbolicName")?.Split(';')[0].Trim()
            ?? Path.GetFileNameWithoutExtension(fileName);
        if (string.IsNullOrEmpty(version) || string.IsNullOrEmpty(artifact))
        {
            return null;
        }

        var group = Attribute(attributes, "Implementation-Vendor-Id");
        return Create(group, artifact, version, foundIn);
    }

    private static string? Attribute(Dictionary<string, string> attributes, params string[] names) =>
        names.Select(n => attributes.TryGetValue(n, out var v) ? v.Trim() : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static Package Create(string? group, string artifact, string version, string foundIn) => new()
    {
        Type = PackageTypes.Maven,
        Name = string.IsNullOrEmpty(group) ? artifact : group + ":" + artifact,
        Version = version,
        FoundIn = foundIn,
        Purl = PackageUrl.Create(PackageTypes.Maven, group, artifact, version),
    };

    [GeneratedRegex(@"^(?<name>[A-Za-z][\w.\-]*?)-(?<version>\d[\w.\-+]*)\.(jar|war|ear|jpi|hpi)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FileNamePattern();
}
