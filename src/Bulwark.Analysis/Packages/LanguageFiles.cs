using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages;

/// <summary>What the language package analyzers share: bounded reads of manifests and layer attribution.</summary>
internal static class LanguageFiles
{
    /// <summary>JSON of installed-package manifests: comments and trailing commas are refused as npm and Composer do.</summary>
    public static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// The content of <paramref name="file"/> when it is at most <paramref name="maxBytes"/>; otherwise null and a
    /// warning naming the analyzer and the file.
    /// </summary>
    public static async Task<byte[]?> ReadBoundedAsync(AnalysisContext context, string analyzer, ImageFile file, long maxBytes,
        CancellationToken cancellationToken)
    {
        if (file.Size > maxBytes)
        {
            context.AddWarning($"{analyzer}: /{file.Path} is {file.Size} bytes, over the {maxBytes}-byte limit for this manifest; skipped");
            return null;
        }

        return await file.Content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets where the package was found: the file, its layer and that layer's digest.</summary>
    public static Package FoundIn(this Package package, AnalysisContext context, ImageFile file, string? foundIn = null) => package with
    {
        FoundIn = foundIn ?? "/" + file.Path,
        LayerIndex = file.LayerIndex,
        LayerDigest = context.LayerDigest(file.LayerIndex),
    };

    /// <summary>A string property, or null when absent or not a string.</summary>
    public static string? GetString(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
