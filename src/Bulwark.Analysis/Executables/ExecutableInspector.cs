using System.Security.Cryptography;
using System.Text;
using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Executables;

/// <summary>
/// Finds every regular file with an execute bit (user, group or other) whose content starts with an ELF header
/// or a <c>#!</c> line, and records its size, SHA-256, mode and kind. The digest is computed while the content
/// streams; nothing is buffered. Results belong to the final view.
/// </summary>
public sealed class ExecutableInspector : IContentInspector
{
    /// <summary>Longest <c>#!</c> line kept (Linux reads at most 256 bytes of it since 5.1).</summary>
    public const int MaxInterpreterLength = 256;

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string Name => "executables";

    public bool Wants(LayerEntry entry) => entry.Type is LayerEntryType.RegularFile && (entry.Mode & AnyExecute) != 0 && entry.Size >= 2;

    public bool Accepts(LayerEntry entry, ReadOnlySpan<byte> head) => IsElf(head) || IsScript(head);

    public static bool IsElf(ReadOnlySpan<byte> head) => head.StartsWith("\u007fELF"u8);

    public static bool IsScript(ReadOnlySpan<byte> head) => head.StartsWith("#!"u8);

    public async ValueTask InspectAsync(LayerEntry entry, Stream content, InspectionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sink);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = AnalysisBuffers.Bytes.Rent(81920);
        try
        {
            long size = 0;
            string? interpreter = null;
            ExecutableKind? kind = null;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (size == 0)
                {
                    kind = IsElf(buffer.AsSpan(0, read)) ? ExecutableKind.Elf : ExecutableKind.Script;
                    if (kind is ExecutableKind.Script)
                    {
                        interpreter = Interpreter(buffer.AsSpan(0, read));
                    }
                }

                hash.AppendData(buffer, 0, read);
                size += read;
            }

            sink.AddFinalViewResult(new ExecutableContent
            {
                Kind = kind ?? ExecutableKind.Script,
                Size = size,
                Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
                Mode = entry.Mode,
                Uid = entry.Uid,
                Gid = entry.Gid,
                Interpreter = interpreter,
            });
        }
        finally
        {
            AnalysisBuffers.Bytes.Return(buffer);
        }
    }

    /// <summary>The <c>#!</c> line after the marker, trimmed, bounded and made printable.</summary>
    private static string Interpreter(ReadOnlySpan<byte> start)
    {
        var line = start[2..];
        var end = line.IndexOfAny((byte)'\n', (byte)'\r');
        if (end >= 0)
        {
            line = line[..end];
        }

        if (line.Length > MaxInterpreterLength)
        {
            line = line[..MaxInterpreterLength];
        }

        var text = Encoding.UTF8.GetString(line).Trim();
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
