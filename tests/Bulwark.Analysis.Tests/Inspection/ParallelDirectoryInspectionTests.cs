using System.Text;
using System.Text.Json;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Layers;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.Inspection;

/// <summary>
/// A directory's files are inspected several at a time on the thread pool and committed in entry order: the inventory
/// must be exactly the one of the same directory inspected one file after the other (the path every other layer takes).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ParallelDirectoryInspectionTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("bulwark-parallel-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>The same directory behind a layer that is not a <see cref="DirectoryLayer"/>, so it is inspected sequentially.</summary>
    private sealed class SequentialLayer(DirectoryLayer inner) : ISourceLayer
    {
        public LayerInfo Info => inner.Info;

        public IAsyncEnumerable<LayerEntry> ReadEntriesAsync(DecompressionBudget budget, CancellationToken cancellationToken) =>
            inner.ReadEntriesAsync(budget, cancellationToken);
    }

    [Fact]
    public async Task SyntheticTree_SecretsExecutablesWarningsAndModes_SameAsSequential()
    {
        var random = new Random(7);
        string Token(int length) => new([.. Enumerable.Range(0, length).Select(_ => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[random.Next(62)])]);
        var elf = await File.ReadAllBytesAsync("/bin/true");
        for (var d = 0; d < 12; d++)
        {
            var directory = Path.Combine(root, $"srv/app{d}/conf");
            Directory.CreateDirectory(directory);
            for (var f = 0; f < 25; f++)
            {
                var text = new StringBuilder().Append("# settings ").Append(f).Append('\n');
                if (f % 3 == 0)
                {
                    text.Append("github_token = ghp_").Append(Token(36)).Append('\n');
                }

                if (f % 4 == 0)
                {
                    text.Append("DATABASE_URL=postgres://app:").Append(Token(16)).Append("@db.internal:5432/app\n");
                }

                if (f == 7)
                {
                    // Over the per-file cap: a warning, whose position among the others must not move.
                    for (var i = 0; i < 120; i++)
                    {
                        text.Append("key").Append(i).Append(" = AKIA").Append(Token(16).ToUpperInvariant().Replace('0', 'Q').Replace('1', 'R').Replace('8', 'S').Replace('9', 'T')).Append('\n');
                    }
                }

                await File.WriteAllTextAsync(Path.Combine(directory, $"c{f:D2}.env"), text.ToString());
            }

            var bin = Path.Combine(root, $"srv/app{d}/bin");
            Directory.CreateDirectory(bin);
            await File.WriteAllTextAsync(Path.Combine(bin, "run.sh"), $"#!/bin/sh\necho {d}\n");
            File.SetUnixFileMode(Path.Combine(bin, "run.sh"), ElfBytes.ExecMode);
            await File.WriteAllBytesAsync(Path.Combine(bin, "tool"), elf);
            File.SetUnixFileMode(Path.Combine(bin, "tool"), ElfBytes.ExecMode | (d == 3 ? UnixFileMode.SetUser : 0));
            await File.WriteAllBytesAsync(Path.Combine(bin, "data.bin"), [0, 1, 2, 3]);
        }

        Directory.CreateDirectory(Path.Combine(root, "tmp/shared"));
        File.SetUnixFileMode(Path.Combine(root, "tmp/shared"), (UnixFileMode)0b111_111_111);
        await File.WriteAllTextAsync(Path.Combine(root, "tmp/shared/open.txt"), "anyone may write this\n");
        File.SetUnixFileMode(Path.Combine(root, "tmp/shared/open.txt"), (UnixFileMode)0b110_110_110);

        var (parallel, sequential) = await AnalyzeBothWaysAsync(root);

        Assert.Equal(12 * 2, parallel.Executables.Count);
        Assert.True(parallel.Secrets.Count > 12 * (9 + 7), $"only {parallel.Secrets.Count} secrets");
        Assert.Equal(12, parallel.Warnings.Count);
        AssertSame(sequential, parallel);
    }

    [Fact]
    public async Task DebootstrapRootFs_SameAsSequential()
    {
        var (parallel, sequential) = await AnalyzeBothWaysAsync(await DebootstrapRootFs.GetAsync());

        Assert.True(parallel.Executables.Count > 300, $"only {parallel.Executables.Count} executables");
        AssertSame(sequential, parallel);
    }

    private static async Task<(ImageInventory Parallel, ImageInventory Sequential)> AnalyzeBothWaysAsync(string directory)
    {
        var analyzer = new ImageAnalyzer();
        var parallel = await analyzer.AnalyzeAsync(new SourceImage { Source = directory, Layers = [new DirectoryLayer(directory)] }, CancellationToken.None);
        var sequential = await analyzer.AnalyzeAsync(
            new SourceImage { Source = directory, Layers = [new SequentialLayer(new DirectoryLayer(directory))] }, CancellationToken.None);
        return (parallel, sequential);
    }

    private static void AssertSame(ImageInventory expected, ImageInventory actual)
    {
        Assert.Equal(JsonSerializer.Serialize(expected.Packages), JsonSerializer.Serialize(actual.Packages));
        Assert.Equal(JsonSerializer.Serialize(expected.Files), JsonSerializer.Serialize(actual.Files));
        Assert.Equal(JsonSerializer.Serialize(expected.Executables), JsonSerializer.Serialize(actual.Executables));
        Assert.Equal(JsonSerializer.Serialize(expected.Secrets), JsonSerializer.Serialize(actual.Secrets));
        Assert.Equal(JsonSerializer.Serialize(expected.ConfigFindings), JsonSerializer.Serialize(actual.ConfigFindings));
        Assert.Equal(expected.Warnings, actual.Warnings);
    }
}
