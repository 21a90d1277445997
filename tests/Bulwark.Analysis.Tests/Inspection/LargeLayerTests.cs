using System.Formats.Tar;
using System.IO.Pipelines;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Layers;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.Inspection;

/// <summary>A layer larger than 2 GiB streams through the inspectors without being held anywhere.</summary>
public sealed class LargeLayerTests
{
    private const long Size = (2L * 1024 * 1024 * 1024) + (3 * 1024 * 1024) + 5;

    [Fact]
    public async Task TwoGigabyteExecutable_StreamsThroughTheInspectors_AndItsSpillFileIsGone()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
        var writer = Task.Run(async () =>
        {
            await using var output = pipe.Writer.AsStream();
            await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "opt/huge/blob") { Mode = ElfBytes.ExecMode, DataStream = new ElfOfZeros(Size) };
            await tar.WriteEntryAsync(entry);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "opt/after") { DataStream = new MemoryStream("#!/bin/sh\n"u8.ToArray()), Mode = ElfBytes.ExecMode });
        });
        var image = new SourceImage
        {
            Source = "large",
            Layers = [new BlobLayer(new LayerInfo { Index = 0, Digest = "large" }, _ => Task.FromResult(pipe.Reader.AsStream()))],
        };
        var seeking = new RecordingInspector(e => e.Type is LayerEntryType.RegularFile, seekable: true);

        var inventory = await new ImageAnalyzer([], inspectors: [.. ImageAnalyzer.DefaultInspectors(), seeking]).AnalyzeAsync(image, CancellationToken.None);
        await writer;

        var huge = Assert.Single(seeking.Seen, s => s.Path == "opt/huge/blob");
        Assert.Equal(Size, huge.Length);
        Assert.True(huge.CanSeek);
        Assert.NotNull(huge.SpillPath);
        Assert.False(File.Exists(huge.SpillPath));
        var executable = Assert.Single(inventory.Executables, e => e.Path == "opt/huge/blob");
        Assert.Equal(Size, executable.Size);
        Assert.Equal(["opt/after", "opt/huge/blob"], inventory.Executables.Select(e => e.Path));
    }

    /// <summary>An ELF magic number followed by zeros, generated as it is read; seekable so that the tar writer knows its length.</summary>
    private sealed class ElfOfZeros(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            Array.Clear(buffer, offset, n);
            for (var i = 0; i < n && position + i < 4; i++)
            {
                buffer[offset + i] = "\u007fELF"u8[(int)position + i];
            }

            position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
