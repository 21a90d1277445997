using System.Text;
using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Layers;
using Bulwark.Analysis.Tests.Fixtures;
using static Bulwark.Analysis.Tests.Fixtures.SyntheticImage;

namespace Bulwark.Analysis.Tests.Inspection;

/// <summary>The streaming inspection hook: what inspectors are offered, what stream they get, and result lifetimes.</summary>
public sealed class ContentInspectionTests
{
    private sealed class ResultsAnalyzer : IFileAnalyzer
    {
        public string Name => "results";

        public FileSelector Selector { get; } = new() { Paths = ["etc/wanted"] };

        public InspectionResults? Results { get; private set; }

        public string? Wanted { get; private set; }

        public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
        {
            Results = context.Inspections;
            if (context.Files.GetFile("etc/wanted") is { } file)
            {
                Wanted = Encoding.UTF8.GetString(await file.Content.ReadAllBytesAsync(cancellationToken));
            }
        }
    }

    [Fact]
    public async Task Inspectors_AreOfferedEveryEntryType_WithLayerIndexAndMode()
    {
        var offered = new List<LayerEntry>();
        var inspector = new RecordingInspector(e =>
        {
            offered.Add(e);
            return false;
        });

        await AnalyzeAsync(Create(
            Tar(t => t.Directory("opt/", (UnixFileMode)0b111_111_111).File("opt/a", "x", ElfBytes.ExecMode | UnixFileMode.SetUser)),
            Tar(t => t.Symlink("opt/b", "a").Whiteout("opt/a"))), analyzers: [], inspectors: [inspector]);

        Assert.Contains(offered, e => e is { Path: "opt", Type: LayerEntryType.Directory, LayerIndex: 0 } && (e.Mode & UnixFileMode.OtherWrite) != 0);
        Assert.Contains(offered, e => e is { Path: "opt/a", Type: LayerEntryType.RegularFile, LayerIndex: 0, Size: 1 } && e.Mode.HasFlag(UnixFileMode.SetUser));
        Assert.Contains(offered, e => e is { Path: "opt/b", Type: LayerEntryType.Symlink, LayerIndex: 1 });
        Assert.DoesNotContain(offered, e => e.Type is LayerEntryType.Whiteout);
    }

    [Fact]
    public async Task SingleForwardInspector_ReadsTheLayerStream_SeekableInspectorGetsACopy()
    {
        var forward = new RecordingInspector(e => e.Path.StartsWith("data/", StringComparison.Ordinal));
        var seeking = new RecordingInspector(e => e.Path == "data/both", seekable: true);

        await AnalyzeAsync(Create(Tar(t => t.File("data/one", "first").File("data/both", "second"))), analyzers: [], inspectors: [forward, seeking]);

        Assert.Contains(("data/one", 0, LayerEntryType.RegularFile, false, 5L, (string?)null), forward.Seen);
        // Two inspectors on one file: both get a seekable in-memory copy of the same bytes.
        Assert.Contains(("data/both", 0, LayerEntryType.RegularFile, true, 6L, (string?)null), forward.Seen);
        Assert.Equal([("data/both", 0, LayerEntryType.RegularFile, true, 6L, (string?)null)], seeking.Seen);
    }

    [Fact]
    public async Task FileOverTheInMemoryCap_IsSpilledForASeekableInspector_AndDeletedRightAfter()
    {
        var seeking = new RecordingInspector(e => e.Type is LayerEntryType.RegularFile, seekable: true);
        var content = new byte[3000];
        Random.Shared.NextBytes(content);

        await AnalyzeAsync(Create(Tar(t => t.File("big", content).File("after", "x"))),
            limits: new AnalysisLimits { MaxInMemoryFileBytes = 1024 }, analyzers: [], inspectors: [seeking]);

        var big = Assert.Single(seeking.Seen, s => s.Path == "big");
        Assert.True(big.CanSeek);
        Assert.Equal(3000, big.Length);
        Assert.NotNull(big.SpillPath);
        Assert.False(File.Exists(big.SpillPath));
        Assert.Null(Assert.Single(seeking.Seen, s => s.Path == "after").SpillPath);
    }

    [Fact]
    public async Task FileCapturedForAnAnalyzer_IsInspectedFromTheCapturedCopy()
    {
        var inspector = new RecordingInspector(e => e.Path == "etc/wanted");
        var analyzer = new ResultsAnalyzer();

        await AnalyzeAsync(Create(Tar(t => t.File("etc/wanted", "content"))), analyzers: [analyzer], inspectors: [inspector]);

        Assert.Equal("content", analyzer.Wanted);
        Assert.Equal(7, Assert.Single(inspector.Seen).Length);
        Assert.Equal(7L, Assert.Single(analyzer.Results!.FinalView<long>()).Value);
    }

    [Fact]
    public async Task FinalViewResults_FollowReplacementWhiteoutsAndOpaqueDirectories()
    {
        var inspector = new RecordingInspector(e => e.Type is LayerEntryType.RegularFile);
        var analyzer = new ResultsAnalyzer();

        await AnalyzeAsync(Create(
            Tar(t => t.File("a/replaced", "1").File("a/deleted", "22").File("b/hidden", "333").File("kept", "4444")),
            Tar(t => t.File("a/replaced", "55555").Whiteout("a/deleted").Opaque("b"))), analyzers: [analyzer], inspectors: [inspector]);

        Assert.Equal(
            [("a/replaced", 1, 5L), ("kept", 0, 4L)],
            analyzer.Results!.FinalView<long>().Select(r => (r.Path, r.LayerIndex, r.Value)));
    }

    [Fact]
    public async Task EveryLayerResults_SurviveDeletionInALaterLayer()
    {
        var inspector = new RecordingInspector(e => e.Type is LayerEntryType.RegularFile, everyLayer: true);
        var analyzer = new ResultsAnalyzer();

        await AnalyzeAsync(Create(
            Tar(t => t.File("a/deleted", "22").File("a/replaced", "1")),
            Tar(t => t.Whiteout("a").File("a/replaced", "333"))), analyzers: [analyzer], inspectors: [inspector]);

        Assert.Equal(
            [("a/deleted", 0, 2L), ("a/replaced", 0, 1L), ("a/replaced", 1, 3L)],
            analyzer.Results!.AllLayers<long>().Select(r => (r.Path, r.LayerIndex, r.Value)));
        Assert.Empty(analyzer.Results.FinalView<long>());
    }

    [Fact]
    public async Task HardLink_CarriesTheTargetsFinalViewResults()
    {
        var inspector = new RecordingInspector(e => e.Type is LayerEntryType.RegularFile);
        var analyzer = new ResultsAnalyzer();

        await AnalyzeAsync(Create(
            Tar(t => t.File("usr/bin/a", "abc").Hardlink("usr/bin/b", "usr/bin/a"))), analyzers: [analyzer], inspectors: [inspector]);

        Assert.Equal([("usr/bin/a", 0, 3L), ("usr/bin/b", 0, 3L)], analyzer.Results!.FinalView<long>().Select(r => (r.Path, r.LayerIndex, r.Value)));
        Assert.Single(inspector.Seen);
    }

    private sealed class FailingInspector : IContentInspector
    {
        public string Name => "failing";

        public bool Wants(LayerEntry entry) => entry.Type is LayerEntryType.RegularFile;

        public ValueTask InspectAsync(LayerEntry entry, Stream content, InspectionSink sink, CancellationToken cancellationToken) =>
            throw new InspectionException("section headers out of range");
    }

    [Fact]
    public async Task InspectionException_BecomesAWarning_AndTheAnalysisGoesOn()
    {
        var inventory = await AnalyzeAsync(Create(Tar(t => t.File("bin/x", "y"))), analyzers: [], inspectors: [new FailingInspector()]);

        Assert.Equal(["failing: bin/x (layer 0): section headers out of range"], inventory.Warnings);
    }

    [Fact]
    public async Task TruncatedEntry_IsRefusedAsMalformed()
    {
        var tar = Tar(t => t.File("bin/x", new byte[20000]));
        var truncated = tar.AsSpan(0, 512 + 10000).ToArray();

        var error = await Assert.ThrowsAsync<HostileImageException>(() =>
            AnalyzeAsync(Create(truncated), analyzers: [], inspectors: [new RecordingInspector(_ => true, seekable: true)]));

        Assert.Equal(HostileImageReason.MalformedArchive, error.Reason);
    }
}
