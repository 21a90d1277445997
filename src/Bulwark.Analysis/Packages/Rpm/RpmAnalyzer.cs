using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Rpm;

/// <summary>
/// RPM packages (RHEL and clones, Fedora, Amazon Linux, SUSE, Mariner/Azure Linux) from whichever database the
/// image has: SQLite <c>rpmdb.sqlite</c>, NDB <c>Packages.db</c> or Berkeley DB <c>Packages</c>, under
/// <c>usr/lib/sysimage/rpm</c> or <c>var/lib/rpm</c>. The format is told by the file's magic, not its name.
/// </summary>
public sealed class RpmAnalyzer : IFileAnalyzer
{
    private static readonly string[] DatabasePaths =
    [
        "usr/lib/sysimage/rpm/rpmdb.sqlite",
        "var/lib/rpm/rpmdb.sqlite",
        "usr/lib/sysimage/rpm/Packages.db",
        "var/lib/rpm/Packages.db",
        "usr/lib/sysimage/rpm/Packages",
        "var/lib/rpm/Packages",
    ];

    public string Name => "rpm";

    public FileSelector Selector { get; } = new() { Paths = DatabasePaths, KeepLayerHistory = true };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        var database = DatabasePaths.Select(context.Files.GetFile).FirstOrDefault(f => f is not null);
        if (database is null)
        {
            return;
        }

        context.MarkRead(database);
        var records = await ReadAsync(database, context, cancellationToken).ConfigureAwait(false);
        var history = context.Files.GetHistory(database.Path);
        var layers = new LayerAttribution<RpmPackageRecord>(history.Count > 0 ? history : [database],
            (file, ct) => ReadAsync(file, null, ct));
        var os = context.OperatingSystem;
        var distro = os?.Id ?? "redhat";
        foreach (var record in records)
        {
            var layer = await layers.FirstLayerAsync(r => r.Name == record.Name && r.Evr == record.Evr && r.Architecture == record.Architecture,
                cancellationToken).ConfigureAwait(false) ?? database.LayerIndex;
            var (sourceName, sourceVersion) = ParseSourceRpm(record.SourceRpm, record.Epoch);
            context.AddPackage(new Package
            {
                Type = PackageTypes.Rpm,
                Name = record.Name,
                Version = record.Evr,
                Architecture = record.Architecture,
                SourceName = sourceName ?? record.Name,
                SourceVersion = sourceVersion ?? record.Evr,
                Licenses = record.License is { Length: > 0 } l ? [l] : [],
                Files = record.Files,
                LayerIndex = layer,
                LayerDigest = context.LayerDigest(layer),
                FoundIn = "/" + database.Path,
                Purl = PackageUrl.Create(PackageTypes.Rpm, distro, record.Name, $"{record.Version}-{record.Release}",
                [
                    new("arch", record.Architecture),
                    new("epoch", record.Epoch is > 0 ? record.Epoch.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
                    new("distro", os?.VersionId is { } v ? $"{os.Id}-{v}" : null),
                ]),
            });
        }
    }

    /// <summary><c>bash-5.1.8-6.el9.src.rpm</c> → (<c>bash</c>, <c>[epoch:]5.1.8-6.el9</c>); the binary's epoch applies (rpm does not record the source's).</summary>
    public static (string? Name, string? Version) ParseSourceRpm(string? sourceRpm, int? epoch)
    {
        if (sourceRpm is null)
        {
            return (null, null);
        }

        var stem = sourceRpm.EndsWith(".src.rpm", StringComparison.Ordinal) ? sourceRpm[..^".src.rpm".Length]
            : sourceRpm.EndsWith(".nosrc.rpm", StringComparison.Ordinal) ? sourceRpm[..^".nosrc.rpm".Length]
            : null;
        var releaseDash = stem?.LastIndexOf('-') ?? -1;
        var versionDash = releaseDash > 0 ? stem!.LastIndexOf('-', releaseDash - 1) : -1;
        if (versionDash <= 0)
        {
            return (null, null);
        }

        var versionRelease = stem![(versionDash + 1)..];
        return (stem[..versionDash], epoch is > 0 ? $"{epoch}:{versionRelease}" : versionRelease);
    }

    private static async Task<List<RpmPackageRecord>> ReadAsync(ImageFile file, AnalysisContext? context, CancellationToken cancellationToken)
    {
        var head = new byte[16];
        await using (var probe = file.Content.OpenRead())
        {
            await probe.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }

        IEnumerable<byte[]> blobs;
        if (SqliteRpmDatabaseReader.IsSqlite(head))
        {
            var copy = await file.Content.GetLocalCopyAsync(".sqlite", cancellationToken).ConfigureAwait(false);
            blobs = await SqliteRpmDatabaseReader.ReadBlobsAsync(copy, cancellationToken).ConfigureAwait(false);
        }
        else if (NdbPackagesReader.IsNdb(head))
        {
            blobs = Materialize(file, NdbPackagesReader.ReadBlobs);
        }
        else if (BerkeleyDbHashReader.IsBerkeleyDbHash(head))
        {
            blobs = Materialize(file, BerkeleyDbHashReader.ReadValues);
        }
        else
        {
            throw new PackageDatabaseException($"/{file.Path} is not an rpm database in a known format");
        }

        var records = new List<RpmPackageRecord>();
        var undecodable = 0;
        foreach (var blob in blobs)
        {
            try
            {
                var record = RpmHeaderDecoder.Decode(blob);
                if (record.Name != "gpg-pubkey")
                {
                    records.Add(record);
                }
            }
            catch (PackageDatabaseException) when (blob.Length < 16)
            {
                // Berkeley DB Packages keeps a 4-byte counter record next to the headers.
            }
            catch (PackageDatabaseException)
            {
                undecodable++;
            }
        }

        if (undecodable > 0)
        {
            context?.AddWarning($"rpm: {undecodable} headers in /{file.Path} could not be decoded");
        }

        return records;
    }

    private static List<byte[]> Materialize(ImageFile file, Func<Stream, IEnumerable<byte[]>> read)
    {
        using var stream = file.Content.OpenRead();
        return [.. read(stream)];
    }
}
