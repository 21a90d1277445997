using Bulwark.Analysis.Configuration;
using Bulwark.Analysis.Executables;
using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Layers;
using Bulwark.Analysis.OperatingSystems;
using Bulwark.Analysis.Packages;
using Bulwark.Analysis.Packages.Apk;
using Bulwark.Analysis.Packages.Binaries;
using Bulwark.Analysis.Packages.Composer;
using Bulwark.Analysis.Packages.Dpkg;
using Bulwark.Analysis.Packages.Java;
using Bulwark.Analysis.Packages.Npm;
using Bulwark.Analysis.Packages.NuGet;
using Bulwark.Analysis.Packages.Python;
using Bulwark.Analysis.Packages.Rpm;
using Bulwark.Analysis.Packages.Ruby;
using Bulwark.Analysis.Secrets;
using Bulwark.Analysis.Sources;

namespace Bulwark.Analysis;

/// <summary>
/// The one analysis path (CLI and server): reads an image's layers once, keeping only the files the analyzers
/// select and offering every entry to the content inspectors, builds the final view, detects the OS, runs the
/// analyzers on it and checks the configuration.
/// </summary>
public sealed class ImageAnalyzer
{
    private readonly IReadOnlyList<IFileAnalyzer> analyzers;
    private readonly IReadOnlyList<IContentInspector> inspectors;
    private readonly AnalysisOptions options;
    private readonly SecretScanner configSecrets;

    /// <exception cref="ArgumentException">The secret options are out of range or an allow pattern is invalid.</exception>
    public ImageAnalyzer(IEnumerable<IFileAnalyzer>? analyzers = null, AnalysisOptions? options = null, IEnumerable<IContentInspector>? inspectors = null)
    {
        this.analyzers = analyzers?.ToList() ?? [.. OsPackageAnalyzers(), .. LanguageAnalyzers()];
        this.options = options ?? AnalysisOptions.Default;
        this.inspectors = inspectors?.ToList() ?? DefaultInspectors(this.options);
        configSecrets = new SecretScanner(this.options.Secrets);
    }

    /// <summary>The analyzers for OS package databases: dpkg, apk, rpm.</summary>
    public static IReadOnlyList<IFileAnalyzer> OsPackageAnalyzers() => [new DpkgAnalyzer(), new ApkAnalyzer(), new RpmAnalyzer()];

    /// <summary>
    /// The analyzers for language packages installed in the image: npm, Python, .NET deps.json, Java archives,
    /// Ruby gemspecs, Composer, and the packages compiled into Go and cargo-auditable binaries (read by
    /// <see cref="BinaryPackageInspector"/> while the layers stream).
    /// </summary>
    public static IReadOnlyList<IFileAnalyzer> LanguageAnalyzers() =>
    [
        new NpmAnalyzer(), new PythonPackageAnalyzer(), new DepsJsonAnalyzer(), new JavaArchiveAnalyzer(), new GemspecAnalyzer(),
        new ComposerInstalledAnalyzer(), new BinaryPackageAnalyzer(),
    ];

    /// <summary>The content inspectors run by default: executables, secrets (with the options' allow list), permissions, packages in binaries.</summary>
    public static IReadOnlyList<IContentInspector> DefaultInspectors(AnalysisOptions? options = null) =>
        [new ExecutableInspector(), new SecretInspector((options ?? AnalysisOptions.Default).Secrets), new FilePermissionInspector(), new BinaryPackageInspector()];

    /// <summary>Analyses every image of <paramref name="source"/> that <paramref name="platforms"/> selects.</summary>
    public async Task<IReadOnlyList<ImageInventory>> AnalyzeAsync(IImageSource source, PlatformSelection? platforms, CancellationToken cancellationToken)
    {
        var images = await source.GetImagesAsync(platforms ?? PlatformSelection.Default, cancellationToken).ConfigureAwait(false);
        var inventories = new List<ImageInventory>(images.Count);
        foreach (var image in images)
        {
            inventories.Add(await AnalyzeAsync(image, inventories.Count, cancellationToken).ConfigureAwait(false));
        }

        return inventories;
    }

    public Task<ImageInventory> AnalyzeAsync(SourceImage image, CancellationToken cancellationToken) => AnalyzeAsync(image, 0, cancellationToken);

    private async Task<ImageInventory> AnalyzeAsync(SourceImage image, int imageIndex, CancellationToken cancellationToken)
    {
        var limits = options.Limits;
        if (image.Layers.Count > limits.MaxLayers)
        {
            throw new HostileImageException(HostileImageReason.TooManyLayers, $"image has {image.Layers.Count} layers, over MaxLayers ({limits.MaxLayers})");
        }

        var selectors = new List<FileSelector> { OperatingSystemDetector.Selector };
        selectors.AddRange(analyzers.Select(a => a.Selector));
        var warnings = new List<string>();
        using var workspace = new AnalysisWorkspace(options.TempDirectory);

        var inspections = new InspectionResults();
        var inspection = inspectors.Count > 0 ? new ContentInspection(inspectors, limits, workspace, inspections, warnings) : null;
        var overlay = new LayerOverlay(path => selectors.Any(s => s.Matches(path)),
            path => selectors.Any(s => s.KeepLayerHistory && s.Matches(path)), limits, workspace, warnings, inspection);
        await ApplyLayersAsync(image, imageIndex, 1, overlay, cancellationToken).ConfigureAwait(false);
        var files = overlay.ToFileSystem();

        // Wanted paths that are links to files nobody asked for (etc/os-release -> ../usr/lib/os-release, a
        // hard link to an unwanted file): read the layers once more for just those targets.
        var targets = files.UnresolvedTargets(selectors.SelectMany(s => s.Paths).Distinct(StringComparer.Ordinal))
            .Concat(overlay.PendingTargets).Where(overlay.MayHaveFile).ToHashSet(StringComparer.Ordinal);
        if (targets.Count > 0)
        {
            var second = new LayerOverlay(targets.Contains, _ => false, limits, workspace, warnings);
            await ApplyLayersAsync(image, imageIndex, 2, second, cancellationToken).ConfigureAwait(false);
            overlay.Merge(second);
            files = overlay.ToFileSystem();
        }

        var read = new HashSet<string>(StringComparer.Ordinal);
        var layers = image.Layers.Select(l => l.Info with
        {
            InBaseImage = options.BaseImageDiffIds is { } baseIds && l.Info.DiffId is { } diffId ? baseIds.Contains(diffId) : l.Info.InBaseImage,
        }).ToList();
        var os = await OperatingSystemDetector.DetectAsync(files, f => read.Add(f.Path), cancellationToken).ConfigureAwait(false);
        var context = new AnalysisContext(files, layers, image.Config, os, warnings, inspections);
        foreach (var analyzer in analyzers)
        {
            try
            {
                await analyzer.AnalyzeAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (PackageDatabaseException e)
            {
                warnings.Add($"{analyzer.Name}: {e.Message}");
            }
        }

        read.UnionWith(context.ReadFiles);
        var (configSecretFindings, redactedConfig) = ConfigSecretScanner.Scan(image.Config, configSecrets, layers.Count);
        var secrets = inspections.AllLayers<SecretMatch>().Select(r => SecretFinding.From(r.Value, r.Path, null, r.LayerIndex))
            .Concat(configSecretFindings).ToList();
        return new ImageInventory
        {
            Source = image.Source,
            ManifestDigest = image.ManifestDigest,
            ConfigDigest = image.ConfigDigest,
            Platform = image.Platform,
            Config = redactedConfig,
            OperatingSystem = os,
            Layers = layers,
            // A file owned by an OS package is that package's, not also a language package (see OsOwnedFiles).
            Packages = [.. OsOwnedFiles.RemoveOwned(context.Packages, files.Resolve).OrderBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
                .ThenBy(p => p.Version, StringComparer.Ordinal).ThenBy(p => p.Architecture, StringComparer.Ordinal)],
            Files = [.. read.Order(StringComparer.Ordinal).Select(files.GetFile).OfType<ImageFile>()
                .Select(f => new InventoryFile { Path = f.Path, Size = f.Size, LayerIndex = f.LayerIndex, Sha256 = f.Sha256 })],
            Executables = [.. inspections.FinalView<ExecutableContent>().Select(Executable.From)],
            Secrets = secrets,
            ConfigFindings = ImageConfigurationChecker.Check(image.Config, layers.Count, configSecretFindings, inspections.FinalView<RiskyFileMode>()),
            Warnings = warnings,
        };
    }

    private async Task ApplyLayersAsync(SourceImage image, int imageIndex, int pass, LayerOverlay overlay, CancellationToken cancellationToken)
    {
        var budget = new DecompressionBudget(options.Limits);
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var entries = image.Layers[i].ReadEntriesAsync(budget, cancellationToken);
            if (options.Progress is { } progress)
            {
                entries = ReportingAsync(entries, progress, budget, new AnalysisProgress(imageIndex, i, image.Layers.Count, 0, pass, false), cancellationToken);
            }

            // A directory on disk is the one layer whose files can be opened out of order: inspected on both cores.
            await overlay.ApplyAsync(i, entries, image.Layers[i] is DirectoryLayer, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<LayerEntry> ReportingAsync(IAsyncEnumerable<LayerEntry> entries, IProgress<AnalysisProgress> progress,
        DecompressionBudget budget, AnalysisProgress state, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int ReportEvery = 256;
        progress.Report(state with { BytesRead = budget.TotalBytes });
        var count = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
            if (++count % ReportEvery == 0)
            {
                progress.Report(state with { BytesRead = budget.TotalBytes });
            }
        }

        progress.Report(state with { BytesRead = budget.TotalBytes, LayerDone = true });
    }
}
