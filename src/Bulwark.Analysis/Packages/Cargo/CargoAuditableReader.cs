using System.IO.Compression;
using System.Text.Json;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Packages.Binaries;

namespace Bulwark.Analysis.Packages.Cargo;

/// <summary>
/// Reads the dependency list that <c>cargo auditable</c> embeds in Rust executables: the ELF section
/// <c>.dep-v0</c>, zlib-compressed JSON <c>{"packages": [{"name", "version", "source", "kind", "dependencies":
/// [indexes], "root"}]}</c> (rust-secure-code/cargo-auditable, format v0). Sizes and counts are bounded.
/// </summary>
public static class CargoAuditableReader
{
    public const string SectionName = ".dep-v0";

    /// <summary>Compressed section bytes (real ones are a few KiB).</summary>
    public const int MaxSectionBytes = 8 * 1024 * 1024;

    /// <summary>Decompressed JSON bytes (cargo-auditable's own reader caps it at 8 MiB).</summary>
    public const int MaxJsonBytes = 8 * 1024 * 1024;

    public const int MaxPackages = 100_000;

    /// <summary>
    /// The embedded packages of a seekable executable, as <c>cargo</c> packages found in <paramref name="foundIn"/>
    /// with their dependencies; null when there is no <c>.dep-v0</c> section or it cannot be read (corrupt zlib,
    /// bad JSON, over a bound).
    /// </summary>
    public static IReadOnlyList<Package>? TryRead(Stream executable, string foundIn)
    {
        ArgumentNullException.ThrowIfNull(executable);
        if (ElfFile.TryRead(executable) is not { } elf || elf.FindSection(SectionName) is not { } section
            || section.Size > MaxSectionBytes || elf.ReadAt(section.Offset, section.Size) is not { } compressed)
        {
            return null;
        }

        try
        {
            var json = Inflate(compressed);
            return json is null ? null : Parse(json, foundIn);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Parses the decompressed JSON; throws <see cref="JsonException"/> when it is not the expected shape.</summary>
    public static IReadOnlyList<Package> Parse(ReadOnlyMemory<byte> json, string foundIn)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("packages", out var list)
            || list.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("no \"packages\" array");
        }

        if (list.GetArrayLength() > MaxPackages)
        {
            throw new JsonException($"more than {MaxPackages} packages");
        }

        var entries = list.EnumerateArray().ToList();
        var purls = entries.Select(e => e.GetString("name") is { Length: > 0 } name && e.GetString("version") is { Length: > 0 } version
            ? PackageUrl.Create(PackageTypes.Cargo, null, name, version)
            : throw new JsonException("a package without name or version")).ToList();
        var packages = new List<Package>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var dependsOn = new List<string>();
            if (entry.TryGetProperty("dependencies", out var deps) && deps.ValueKind == JsonValueKind.Array)
            {
                foreach (var dep in deps.EnumerateArray())
                {
                    if (!dep.TryGetInt32(out var index) || index < 0 || index >= purls.Count)
                    {
                        throw new JsonException($"dependency index out of range in package {i}");
                    }

                    dependsOn.Add(purls[index]);
                }
            }

            packages.Add(new Package
            {
                Type = PackageTypes.Cargo,
                Name = entry.GetString("name")!,
                Version = entry.GetString("version")!,
                DependsOn = [.. dependsOn.Distinct(StringComparer.Ordinal)],
                // kind "build" marks build-time-only crates (build scripts, proc macros): not in the binary at run time.
                Development = entry.GetString("kind") == "build" ? true : null,
                FoundIn = foundIn,
                Purl = purls[i],
            });
        }

        return packages;
    }

    private static byte[]? Inflate(byte[] compressed)
    {
        using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = zlib.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (output.Length + read > MaxJsonBytes)
            {
                return null;
            }

            output.Write(chunk, 0, read);
        }

        return output.ToArray();
    }
}
