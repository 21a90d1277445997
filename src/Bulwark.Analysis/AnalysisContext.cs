using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Inventory;
using Bulwark.Oci;

namespace Bulwark.Analysis;

/// <summary>What an analyzer sees of one image and where it reports what it found.</summary>
public sealed class AnalysisContext
{
    private readonly List<Package> packages = [];
    private readonly List<string> warnings;
    private readonly HashSet<string> readFiles = new(StringComparer.Ordinal);

    internal AnalysisContext(ImageFileSystem files, IReadOnlyList<LayerInfo> layers, ImageConfig? config,
        OperatingSystemInfo? operatingSystem, List<string> warnings, InspectionResults? inspections = null)
    {
        Inspections = inspections ?? new InspectionResults();
        Files = files;
        Layers = layers;
        Config = config;
        OperatingSystem = operatingSystem;
        this.warnings = warnings;
    }

    public ImageFileSystem Files { get; }

    public IReadOnlyList<LayerInfo> Layers { get; }

    public ImageConfig? Config { get; }

    /// <summary>What the content inspectors found while the layers streamed (executables, binaries' metadata…).</summary>
    public InspectionResults Inspections { get; }

    /// <summary>The distribution, detected before any analyzer runs; null when unknown.</summary>
    public OperatingSystemInfo? OperatingSystem { get; }

    public IReadOnlyList<Package> Packages => packages;

    internal IReadOnlyCollection<string> ReadFiles => readFiles;

    public void AddPackage(Package package) => packages.Add(package);

    public void AddWarning(string warning) => warnings.Add(warning);

    /// <summary>Records that a file was used, so that it is listed among the inventory's files.</summary>
    public void MarkRead(ImageFile file) => readFiles.Add(file.Path);

    /// <summary>The digest identifying layer <paramref name="index"/>: its diff id, else its blob digest.</summary>
    public string? LayerDigest(int? index) =>
        index is { } i && i >= 0 && i < Layers.Count ? Layers[i].DiffId ?? Layers[i].Digest : null;
}
