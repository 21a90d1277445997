using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Bulwark.Analysis.Layers;

/// <summary>
/// Inflates a gzip layer with the zlib-ng that ships inside .NET (<c>libSystem.IO.Compression.Native</c>, the library
/// under <see cref="GZipStream"/>), fed straight from the read-ahead ring: each call inflates a whole 256 KiB buffer of
/// compressed bytes into the caller's buffer until it is full. <see cref="GZipStream"/> copies the input through its
/// own 8 KiB buffer and returns after every 8 KiB of input (about 15,000 reads and inflate calls for a 115 MB layer):
/// on this path inflation is the longest stage of the analysis, and feeding it large buffers saves 10–15 % of its CPU
/// (benchmarks/README.md, "gzip inflation"). The same rules as <see cref="GZipStream"/>: concatenated gzip members are
/// read one after the other, bytes after the last member that do not start another one are ignored, input that ends
/// inside a member ends the data (the tar reader or the blob digest refuses what is missing), and corrupt data throws
/// <see cref="InvalidDataException"/>. After the last member the input is read to its end, so that a digest check
/// under it always sees every byte.
/// </summary>
/// <remarks>
/// The native entry points are the runtime's own (<c>CompressionNative_*</c>, versioned <c>V1.0</c>, the shape of its
/// <c>PAL_ZStream</c> unchanged since .NET Core 1.0), not a public interface. They are used only on .NET 10, the runtime
/// this was checked against, and only after a probe inflated a member made by <see cref="GZipStream"/> back to its
/// bytes; otherwise (another runtime, entry points missing, probe failed) <see cref="IsAvailable"/> is false and the
/// caller uses <see cref="GZipStream"/> instead.
/// </remarks>
internal sealed partial class GzipInflateStream : ForwardOnlyReadStream
{
    private const string Library = "libSystem.IO.Compression.Native";
    private const int GzipWindowBits = 31; // 15-bit window, gzip header and trailer only (as GZipStream)
    private const int NoFlush = 0;
    private const int Ok = 0;
    private const int StreamEnd = 1;
    private const int BufferError = -5;

    private readonly ReadAheadStream input;
    private nint state; // a ZStream in native memory: zlib keeps a pointer back to it, so it must not move
    private ReadOnlyMemory<byte> chunk;
    private long position;
    private bool memberEnded;
    private bool drain;
    private bool finished;

    private unsafe GzipInflateStream(ReadAheadStream input)
    {
        this.input = input;
        var stream = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        var code = InflateInit2(stream, GzipWindowBits);
        if (code != Ok)
        {
            NativeMemory.Free(stream);
            throw new InvalidOperationException($"zlib inflateInit2 failed ({code})");
        }

        state = (nint)stream;
    }

    /// <summary>True when the runtime's zlib-ng entry points can be called.</summary>
    public static bool IsAvailable { get; } = Probe();

    /// <summary>Inflates the gzip data of <paramref name="input"/>; the returned stream owns it.</summary>
    public static GzipInflateStream Open(ReadAheadStream input) => new(input);

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var produced = 0;
        while (produced < buffer.Length && !finished)
        {
            if (chunk.IsEmpty)
            {
                var next = input.ReadChunkAsync(CancellationToken.None);
                chunk = next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult();
            }

            produced += Step(buffer[produced..]);
            if (drain)
            {
                input.CopyTo(Null);
                (drain, finished) = (false, true);
            }
        }

        return produced;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var produced = 0;
        while (produced < buffer.Length && !finished)
        {
            if (chunk.IsEmpty)
            {
                chunk = await input.ReadChunkAsync(cancellationToken).ConfigureAwait(false);
            }

            produced += Step(buffer.Span[produced..]);
            if (drain)
            {
                await input.CopyToAsync(Null, cancellationToken).ConfigureAwait(false);
                (drain, finished) = (false, true);
            }
        }

        return produced;
    }

    /// <summary>One inflate call over the current input chunk (empty: the input has ended); returns the bytes written.</summary>
    private unsafe int Step(Span<byte> output)
    {
        var stream = (ZStream*)state;
        if (chunk.IsEmpty)
        {
            // The input ended: after a whole member that is the end; inside one, the data ends here (as GZipStream).
            finished = true;
            return 0;
        }

        if (memberEnded)
        {
            // Another member follows only if it starts with the gzip magic; anything else after the last one is ignored.
            var span = chunk.Span;
            if (span[0] != 0x1f || (span.Length > 1 && span[1] != 0x8b))
            {
                chunk = ReadOnlyMemory<byte>.Empty;
                drain = true;
                return 0;
            }

            Check(InflateReset2(stream, GzipWindowBits));
            memberEnded = false;
        }

        var (code, consumed, written) = InflateOnce(stream, chunk.Span, output);
        chunk = chunk[consumed..];
        if (code == BufferError && consumed == 0 && written == 0)
        {
            // With input and room for output zlib always moves; should it not, refuse rather than loop for ever.
            throw new InvalidDataException("gzip data is invalid (inflate made no progress)");
        }

        position += written;
        if (code == StreamEnd)
        {
            memberEnded = true;
        }
        else if (code != BufferError)
        {
            // Z_BUF_ERROR only says that no progress was possible: all input was taken, more is read next.
            Check(code);
        }

        return written;
    }

    // One inflate call from input into output; the stream keeps no pointer into either afterwards.
    private static unsafe (int Code, int Consumed, int Written) InflateOnce(ZStream* stream, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int code;
        fixed (byte* source = input)
        fixed (byte* target = output)
        {
            stream->NextIn = source;
            stream->AvailIn = (uint)input.Length;
            stream->NextOut = target;
            stream->AvailOut = (uint)output.Length;
            code = Inflate(stream, NoFlush);
            stream->NextIn = stream->NextOut = null;
        }

        return (code, input.Length - (int)stream->AvailIn, output.Length - (int)stream->AvailOut);
    }

    private unsafe void Check(int code)
    {
        if (code != Ok)
        {
            var stream = (ZStream*)state;
            var message = stream->Message is null ? null : Marshal.PtrToStringUTF8((nint)stream->Message);
            throw new InvalidDataException($"gzip data is invalid ({message ?? $"zlib error {code}"})");
        }
    }

    // The entry points are the runtime's internal interface, so they are used only on the runtime they were checked
    // against (.NET 10: a later one falls back to GZipStream until this file is checked again), and only once a small
    // gzip member made by GZipStream inflates back to its bytes through them.
    private static unsafe bool Probe()
    {
        if (Environment.Version.Major != 10)
        {
            return false;
        }

        var probe = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        try
        {
            if (InflateInit2(probe, GzipWindowBits) != Ok)
            {
                return false;
            }

            var expected = "Bulwark checks the runtime's inflater once."u8;
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(expected);
            }

            var input = compressed.ToArray();
            Span<byte> output = stackalloc byte[expected.Length + 16];
            var (code, consumed, written) = InflateOnce(probe, input, output);
            var whole = code == StreamEnd && consumed == input.Length && output[..written].SequenceEqual(expected);
            return InflateEnd(probe) == Ok && whole;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        finally
        {
            NativeMemory.Free(probe);
        }
    }

    protected override unsafe void Dispose(bool disposing)
    {
        if (state != 0)
        {
            _ = InflateEnd((ZStream*)state);
            NativeMemory.Free((void*)state);
            state = 0;
        }

        if (disposing)
        {
            input.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        // The read-ahead waits for its producer without blocking a thread; Dispose then finds it disposed.
        await input.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    ~GzipInflateStream() => Dispose(disposing: false);

    // dotnet/runtime src/native/libs/System.IO.Compression.Native/pal_zlib.h: PAL_ZStream.
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ZStream
    {
        public byte* NextIn;
        public byte* NextOut;
        public byte* Message;
        public nint InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateInit2_")]
    private static unsafe partial int InflateInit2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_Inflate")]
    private static unsafe partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateReset2_")]
    private static unsafe partial int InflateReset2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateEnd")]
    private static unsafe partial int InflateEnd(ZStream* stream);
}
