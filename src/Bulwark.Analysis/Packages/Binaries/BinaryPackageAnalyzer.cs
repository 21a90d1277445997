namespace Bulwark.Analysis.Packages.Binaries;

/// <summary>
/// Reports the packages <see cref="BinaryPackageInspector"/> found in the final view's executables (Go modules and
/// toolchain, cargo-auditable crates), attributed to the layer the executable comes from.
/// </summary>
public sealed class BinaryPackageAnalyzer : IFileAnalyzer
{
    public string Name => "binaries";

    /// <summary>Nothing to capture: the inspector reads the executables as they stream.</summary>
    public FileSelector Selector { get; } = new();

    public Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var result in context.Inspections.FinalView<BinaryPackages>())
        {
            foreach (var package in result.Value.Packages)
            {
                context.AddPackage(package with { LayerIndex = result.LayerIndex, LayerDigest = context.LayerDigest(result.LayerIndex) });
            }
        }

        return Task.CompletedTask;
    }
}
