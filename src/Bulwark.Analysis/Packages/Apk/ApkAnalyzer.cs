using System.Text;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Apk;

/// <summary>Alpine (and Wolfi/Chainguard) packages from <c>lib/apk/db/installed</c>; the origin is the source package.</summary>
public sealed class ApkAnalyzer : IFileAnalyzer
{
    private const string InstalledPath = "lib/apk/db/installed";

    public string Name => "apk";

    public FileSelector Selector { get; } = new() { Paths = [InstalledPath], KeepLayerHistory = true };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        if (context.Files.GetFile(InstalledPath) is not { } database)
        {
            return;
        }

        context.MarkRead(database);
        var distro = context.OperatingSystem?.Id ?? "alpine";
        var layers = new LayerAttribution<ApkPackageRecord>(context.Files.GetHistory(InstalledPath), ParseAsync);
        foreach (var record in await ParseAsync(database, cancellationToken).ConfigureAwait(false))
        {
            var layer = await layers.FirstLayerAsync(r => r.Name == record.Name && r.Version == record.Version, cancellationToken).ConfigureAwait(false)
                ?? database.LayerIndex;
            context.AddPackage(new Package
            {
                Type = PackageTypes.Apk,
                Name = record.Name,
                Version = record.Version,
                Architecture = record.Architecture,
                SourceName = record.Origin ?? record.Name,
                SourceVersion = record.Version,
                Licenses = record.License is { Length: > 0 } l ? [l] : [],
                Files = record.Files,
                LayerIndex = layer,
                LayerDigest = context.LayerDigest(layer),
                FoundIn = "/" + InstalledPath,
                Purl = PackageUrl.Create(PackageTypes.Apk, distro, record.Name, record.Version,
                    [new("arch", record.Architecture), new("distro", context.OperatingSystem?.VersionId)]),
            });
        }
    }

    private static async Task<List<ApkPackageRecord>> ParseAsync(ImageFile file, CancellationToken cancellationToken)
    {
        using var reader = new StringReader(Encoding.UTF8.GetString(await file.Content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false)));
        return [.. ApkInstalledParser.Parse(reader)];
    }
}
