using System.Text;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Dpkg;

/// <summary>
/// Debian and Ubuntu packages from <c>var/lib/dpkg/status</c> and distroless <c>var/lib/dpkg/status.d/*</c>;
/// owned files from <c>var/lib/dpkg/info/&lt;name&gt;[:&lt;arch&gt;].list</c>; licences from machine-readable
/// <c>usr/share/doc/&lt;name&gt;/copyright</c>. A package is attributed to the first layer whose status file
/// lists it at the same version.
/// </summary>
public sealed class DpkgAnalyzer : IFileAnalyzer
{
    private const string StatusPath = "var/lib/dpkg/status";
    private const string StatusDirectory = "var/lib/dpkg/status.d/";

    public string Name => "dpkg";

    public FileSelector Selector { get; } = new()
    {
        Paths = [StatusPath],
        Globs = [StatusDirectory + "*", "var/lib/dpkg/info/*.list", "usr/share/doc/*/copyright"],
        KeepLayerHistory = true,
    };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        var databases = new List<ImageFile>();
        if (context.Files.GetFile(StatusPath) is { } status)
        {
            databases.Add(status);
        }

        databases.AddRange(context.Files.Select(new FileSelector { Globs = [StatusDirectory + "*"] })
            .Where(f => !f.Path.EndsWith(".md5sums", StringComparison.Ordinal)));
        var distro = context.OperatingSystem?.Id ?? "debian";
        var distroQualifier = context.OperatingSystem is { VersionId: { } v } os ? $"{os.Id}-{v}" : null;
        foreach (var database in databases)
        {
            context.MarkRead(database);
            var records = await ParseAsync(database, cancellationToken).ConfigureAwait(false);
            var layers = new LayerAttribution<DpkgPackageRecord>(context.Files.GetHistory(database.Path), ParseAsync);
            foreach (var record in records)
            {
                var layer = await layers.FirstLayerAsync(r => r.Name == record.Name && r.Version == record.Version && r.Architecture == record.Architecture,
                    cancellationToken).ConfigureAwait(false) ?? database.LayerIndex;
                context.AddPackage(new Package
                {
                    Type = PackageTypes.Deb,
                    Name = record.Name,
                    Version = record.Version,
                    Architecture = record.Architecture,
                    SourceName = record.SourceName,
                    SourceVersion = record.SourceVersion,
                    Licenses = await LicensesAsync(context, record.Name, cancellationToken).ConfigureAwait(false),
                    Files = await OwnedFilesAsync(context, record, cancellationToken).ConfigureAwait(false),
                    LayerIndex = layer,
                    LayerDigest = context.LayerDigest(layer),
                    FoundIn = "/" + database.Path,
                    Purl = PackageUrl.Create(PackageTypes.Deb, distro, record.Name, record.Version,
                    [
                        new("arch", record.Architecture),
                        new("distro", distroQualifier),
                        new("upstream", record.SourceName == record.Name && record.SourceVersion == record.Version ? null
                            : record.SourceVersion == record.Version ? record.SourceName : $"{record.SourceName}@{record.SourceVersion}"),
                    ]),
                });
            }
        }
    }

    private static async Task<List<DpkgPackageRecord>> ParseAsync(ImageFile file, CancellationToken cancellationToken)
    {
        var bytes = await file.Content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StringReader(Encoding.UTF8.GetString(bytes));
        return [.. DpkgStatusParser.Parse(reader)];
    }

    private static async Task<IReadOnlyList<string>> OwnedFilesAsync(AnalysisContext context, DpkgPackageRecord record, CancellationToken cancellationToken)
    {
        var list = context.Files.GetFile($"var/lib/dpkg/info/{record.Name}.list")
            ?? context.Files.GetFile($"var/lib/dpkg/info/{record.Name}:{record.Architecture}.list");
        if (list is null)
        {
            return [];
        }

        context.MarkRead(list);
        var lines = Encoding.UTF8.GetString(await list.Content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // dpkg lists directories too, each before its contents: a line followed by one under it is a directory.
        var files = new List<string>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var isDirectory = i + 1 < lines.Length && lines[i + 1].StartsWith(lines[i] + "/", StringComparison.Ordinal);
            if (!isDirectory && lines[i] != "/.")
            {
                files.Add(lines[i]);
            }
        }

        return files;
    }

    private static async Task<IReadOnlyList<string>> LicensesAsync(AnalysisContext context, string name, CancellationToken cancellationToken)
    {
        if (context.Files.GetFile($"usr/share/doc/{name}/copyright") is not { } copyright)
        {
            return [];
        }

        context.MarkRead(copyright);
        return DebianCopyrightParser.Parse(Encoding.UTF8.GetString(await copyright.Content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false)));
    }
}
