using System.Buffers;
using System.Text;
using System.Text.Json;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Server.Scanning;

/// <summary>
/// A finding's stored JSON document: <see cref="ScanFinding"/> as <see cref="ScanJsonContext"/> serializes it, written
/// into a buffer and a JSON writer kept by the calling thread. A re-match hashes every finding's document but stores
/// only those that appeared or changed: hashing reads the bytes from the buffer (<see cref="Render"/>), and only a
/// stored document becomes a string (<see cref="Write"/>). The bytes are those of serializing the whole
/// <see cref="ScanFinding"/> with <c>JsonSerializer</c>.
/// </summary>
public static class FindingDocument
{
    /// <summary>A thread's buffer is dropped after a document larger than this, so that one huge document does not stay.</summary>
    private const int MaxKeptBuffer = 256 * 1024;

    private static readonly JsonEncodedText PackageName = JsonEncodedText.Encode("package");
    private static readonly JsonEncodedText FindingName = JsonEncodedText.Encode("finding");
    private static readonly JsonEncodedText RemediationName = JsonEncodedText.Encode("remediation");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The document as a string.</summary>
    public static string Write(ScanFinding finding) => Encoding.UTF8.GetString(Render(finding));

    /// <summary>
    /// The document's UTF-8 bytes, in a buffer of the calling thread that the next call on this thread overwrites: use
    /// them before calling again.
    /// </summary>
    internal static ReadOnlySpan<byte> Render(ScanFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var buffer = t_buffer;
        var writer = t_writer;
        if (buffer is null || writer is null || buffer.Capacity > MaxKeptBuffer)
        {
            var options = ScanJsonContext.Default.Options;
            t_buffer = buffer = new ArrayBufferWriter<byte>(16 * 1024);
            t_writer = writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, Indented = false, SkipValidation = true });
        }

        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WritePropertyName(PackageName);
        JsonSerializer.Serialize(writer, finding.Package, ScanJsonContext.Default.ScannedPackage);
        writer.WritePropertyName(FindingName);
        JsonSerializer.Serialize(writer, finding.Finding, ScanJsonContext.Default.Finding);
        writer.WriteString(RemediationName, finding.Remediation);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan;
    }
}
