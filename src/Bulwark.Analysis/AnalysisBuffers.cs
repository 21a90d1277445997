using System.Buffers;

namespace Bulwark.Analysis;

/// <summary>
/// The buffer pools of image analysis (read-ahead rings, file contents, secret-scan text). Unlike
/// <see cref="ArrayPool{T}.Shared"/>, which keeps buffers of each size per thread and per core, so that a process that
/// has analysed a few images holds many copies of the 1 MiB read-ahead buffers and of the multi-MiB file buffers, these
/// keep only as many buffers of a size as were in use at once (at most 64, of at most 64 MiB). The steady-state peak
/// working set of a process analysing the Debian image again and again: 188-200 MiB with the shared pool, 144-147 MiB
/// with these (benchmarks/README.md). Every buffer must go back to the pool it came from.
/// </summary>
internal static class AnalysisBuffers
{
    public static ArrayPool<byte> Bytes { get; } = ArrayPool<byte>.Create(64 * 1024 * 1024, 64);

    public static ArrayPool<char> Chars { get; } = ArrayPool<char>.Create(64 * 1024 * 1024, 16);
}
