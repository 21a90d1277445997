using Bulwark.Analysis.Executables;
using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Layers;
using Bulwark.Analysis.Packages.Cargo;
using Bulwark.Analysis.Packages.Golang;

namespace Bulwark.Analysis.Packages.Binaries;

/// <summary>
/// Reads the packages compiled into ELF executables while the layers stream: Go build info (modules and the
/// toolchain as <c>stdlib</c>) and the cargo-auditable <c>.dep-v0</c> section. Results belong to the final view, so
/// a binary replaced or deleted by a later layer reports nothing; <see cref="BinaryPackageAnalyzer"/> turns them
/// into packages attributed to the layer of the final file.
/// </summary>
public sealed class BinaryPackageInspector : IContentInspector
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string Name => "binaries";

    /// <summary>Both readers look up ELF section headers, which sit at the end of the file.</summary>
    public bool NeedsSeekableContent => true;

    public bool Wants(LayerEntry entry) => entry.Type is LayerEntryType.RegularFile && (entry.Mode & AnyExecute) != 0 && entry.Size >= 64;

    public bool Accepts(LayerEntry entry, ReadOnlySpan<byte> head) => ExecutableInspector.IsElf(head);

    public ValueTask InspectAsync(LayerEntry entry, Stream content, InspectionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sink);
        var foundIn = "/" + entry.Path;
        var packages = new List<Package>();
        if (GoBuildInfoReader.TryRead(content) is { } buildInfo)
        {
            packages.AddRange(buildInfo.ToPackages(foundIn));
        }

        content.Position = 0;
        if (CargoAuditableReader.TryRead(content, foundIn) is { } crates)
        {
            packages.AddRange(crates);
        }

        if (packages.Count > 0)
        {
            sink.AddFinalViewResult(new BinaryPackages(packages));
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>The packages one executable carries.</summary>
public sealed record BinaryPackages(IReadOnlyList<Package> Packages);
