using System.Text;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>A one-layer synthetic image of the given files, analysed with the default (OS and language) analyzers.</summary>
internal static class LanguageImage
{
    public static Task<ImageInventory> AnalyzeAsync(params (string Path, string Content)[] files) =>
        AnalyzeAsync(null, [.. files.Select(f => (f.Path, Encoding.UTF8.GetBytes(f.Content)))]);

    public static Task<ImageInventory> AnalyzeAsync(IEnumerable<IFileAnalyzer>? analyzers, params (string Path, byte[] Content)[] files)
    {
        using var tar = new TarBuilder();
        foreach (var (path, content) in files)
        {
            tar.File(path, content);
        }

        return SyntheticImage.AnalyzeAsync(SyntheticImage.Create(tar.ToArray()), analyzers: analyzers);
    }
}
