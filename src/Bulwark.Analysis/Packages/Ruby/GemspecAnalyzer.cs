using System.Text;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Ruby;

/// <summary>
/// Installed gems: the specification stubs RubyGems writes to <c>specifications/NAME-VERSION.gemspec</c> (and
/// <c>specifications/default/</c> for default gems), read with <see cref="GemspecParser"/> — never evaluated.
/// </summary>
public sealed class GemspecAnalyzer : IFileAnalyzer
{
    public const long MaxGemspecBytes = 1024 * 1024;

    public string Name => "gem";

    public FileSelector Selector { get; } = new() { Globs = ["**/specifications/*.gemspec", "**/specifications/default/*.gemspec"] };

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        foreach (var file in context.Files.Select(Selector))
        {
            var bytes = await LanguageFiles.ReadBoundedAsync(context, Name, file, MaxGemspecBytes, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                continue;
            }

            if (GemspecParser.Parse(Encoding.UTF8.GetString(bytes)) is not { } gem)
            {
                context.AddWarning($"gem: /{file.Path} has no literal name and version; skipped");
                continue;
            }

            context.MarkRead(file);
            context.AddPackage(new Package
            {
                Type = PackageTypes.Gem,
                Name = gem.Name,
                Version = gem.Version,
                Licenses = gem.Licenses,
                FoundIn = "",
                Purl = PackageUrl.Create(PackageTypes.Gem, null, gem.Name, gem.Version),
            }.FoundIn(context, file));
        }
    }
}
