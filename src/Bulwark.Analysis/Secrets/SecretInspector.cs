using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Secrets;

/// <summary>
/// Searches every text file of every layer for secrets. Text means: at most
/// <see cref="SecretScanOptions.MaxFileBytes"/>, not on a noise or allowed path, and no NUL byte in the first
/// <see cref="ContentInspection.HeadLength"/> bytes (git's binary heuristic). Findings are every-layer results: a
/// secret deleted by a later layer still ships in the lower layer's blob.
/// </summary>
public sealed class SecretInspector : IContentInspector
{
    private readonly SecretScanner scanner;

    /// <exception cref="ArgumentException">An option is out of range or an allow pattern is invalid.</exception>
    public SecretInspector(SecretScanOptions? options = null)
    {
        scanner = new SecretScanner(options ?? SecretScanOptions.Default);
    }

    public string Name => "secrets";

    public bool Wants(LayerEntry entry) =>
        entry.Type is LayerEntryType.RegularFile && entry.Size > 0 && entry.Size <= scanner.Options.MaxFileBytes
        && scanner.Options.Enabled && !scanner.AllowList.SkipsPath(entry.Path);

    public bool Accepts(LayerEntry entry, ReadOnlySpan<byte> head) => !head.Contains((byte)0);

    public async ValueTask InspectAsync(LayerEntry entry, Stream content, InspectionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sink);
        var length = (int)Math.Min(entry.Size, scanner.Options.MaxFileBytes);
        var bytes = AnalysisBuffers.Bytes.Rent(length);
        var read = 0;
        try
        {
            read = await content.ReadAtLeastAsync(bytes.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var data = bytes.AsSpan(0, read);
            if (data.Contains((byte)0))
            {
                return;
            }

            // Scanned as UTF-8 bytes: decoded into a pooled buffer, no string per file.
            var matches = scanner.Scan(data, out var truncated);
            foreach (var match in matches)
            {
                sink.AddLayerResult(match);
            }

            if (truncated)
            {
                sink.AddWarning($"more than {scanner.Options.MaxFindingsPerFile} secrets; the rest are not listed");
            }
        }
        finally
        {
            // Clear what this file put in the pooled buffer (not the whole rented array) before handing it back.
            bytes.AsSpan(0, read).Clear();
            AnalysisBuffers.Bytes.Return(bytes);
        }
    }
}
