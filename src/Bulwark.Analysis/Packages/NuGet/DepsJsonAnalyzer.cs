using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.NuGet;

/// <summary>NuGet packages of .NET applications in the image, from their <c>*.deps.json</c> (see <see cref="DepsJsonParser"/>).</summary>
public sealed class DepsJsonAnalyzer : IFileAnalyzer
{
    public string Name => "nuget";

    public FileSelector Selector { get; } = new() { Globs = ["**/*.deps.json"] };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        foreach (var file in context.Files.Select(Selector))
        {
            if (file.Size > DepsJsonParser.MaxBytes)
            {
                context.AddWarning($"nuget: /{file.Path} is {file.Size} bytes, over the {DepsJsonParser.MaxBytes}-byte limit; skipped");
                continue;
            }

            IReadOnlyList<Package> packages;
            try
            {
                await using var stream = file.Content.OpenRead();
                packages = DepsJsonParser.Parse(stream, "/" + file.Path);
            }
            catch (PackageDatabaseException e)
            {
                context.AddWarning($"nuget: {e.Message}");
                continue;
            }

            context.MarkRead(file);
            foreach (var package in packages)
            {
                context.AddPackage(package.FoundIn(context, file));
            }
        }
    }
}
