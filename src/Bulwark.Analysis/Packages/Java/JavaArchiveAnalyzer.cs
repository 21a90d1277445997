namespace Bulwark.Analysis.Packages.Java;

/// <summary>Java archives (<c>jar</c>, <c>war</c>, <c>ear</c>, Jenkins <c>jpi</c>/<c>hpi</c>), nested ones included; see <see cref="JavaArchiveReader"/>.</summary>
public sealed class JavaArchiveAnalyzer(JavaArchiveLimits? limits = null) : IFileAnalyzer
{
    private readonly JavaArchiveLimits limits = limits ?? JavaArchiveLimits.Default;

    public string Name => "java";

    public FileSelector Selector { get; } = new() { Globs = ["**/*.jar", "**/*.war", "**/*.ear", "**/*.jpi", "**/*.hpi"] };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        foreach (var file in context.Files.Select(Selector))
        {
            await using var stream = file.Content.OpenRead();
            var result = await JavaArchiveReader.ReadAsync(stream, "/" + file.Path, limits, cancellationToken).ConfigureAwait(false);
            foreach (var warning in result.Warnings)
            {
                context.AddWarning($"java: {warning}");
            }

            if (result.Packages.Count > 0)
            {
                context.MarkRead(file);
            }

            foreach (var package in result.Packages)
            {
                context.AddPackage(package with { LayerIndex = file.LayerIndex, LayerDigest = context.LayerDigest(file.LayerIndex) });
            }
        }
    }
}
