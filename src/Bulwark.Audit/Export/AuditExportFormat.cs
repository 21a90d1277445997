using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Records;
using Bulwark.Audit.Storage;

namespace Bulwark.Audit.Export;

/// <summary>
/// JSON lines: one record per line in its canonical form with the <c>hash</c> member added in sorted place,
/// in sequence order, then one <c>{"checkpoint":{…}}</c> line per checkpoint that covers the exported range.
/// Written and read a line at a time, so neither side holds the log in memory.
/// </summary>
public static class AuditExportFormat
{
    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Writes <paramref name="records"/> then <paramref name="checkpoints"/>; returns the number of records.</summary>
    public static async Task<long> WriteAsync(Stream output, IAsyncEnumerable<AuditRecord> records,
        IEnumerable<AuditCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(checkpoints);
        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await output.WriteAsync(AuditCanonicalForm.SerializeWithHash(record), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
            count++;
        }

        foreach (var checkpoint in checkpoints)
        {
            var line = new AuditExportLine { Checkpoint = ToDocument(checkpoint) };
            await JsonSerializer.SerializeAsync(output, line, AuditJsonContext.Default.AuditExportLine, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>The records of an export, in file order (verification judges the order).</summary>
    /// <exception cref="AuditRecordFormatException">A line is not a record or checkpoint in this format.</exception>
    public static async IAsyncEnumerable<AuditRecord> ReadRecordsAsync(Stream input,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (number, line) in ReadLinesAsync(input, cancellationToken).ConfigureAwait(false))
        {
            if (line.Checkpoint is null)
            {
                yield return ToRecord(number, line);
            }
        }
    }

    /// <summary>The checkpoint lines of an export.</summary>
    /// <exception cref="AuditRecordFormatException">A line is not a record or checkpoint in this format.</exception>
    public static Task<IReadOnlyList<AuditCheckpoint>> ReadCheckpointsAsync(Stream input, CancellationToken cancellationToken) =>
        ReadCheckpointsAsync(input, stopAtMalformed: false, cancellationToken);

    /// <param name="stopAtMalformed">Return the checkpoints before the first malformed line instead of throwing
    /// (verification reports that line when it reaches it).</param>
    internal static async Task<IReadOnlyList<AuditCheckpoint>> ReadCheckpointsAsync(Stream input, bool stopAtMalformed,
        CancellationToken cancellationToken)
    {
        var checkpoints = new List<AuditCheckpoint>();
        try
        {
            await foreach (var (number, line) in ReadLinesAsync(input, cancellationToken).ConfigureAwait(false))
            {
                if (line.Checkpoint is { } document)
                {
                    checkpoints.Add(FromDocument(document, $"line {number}"));
                }
            }
        }
        catch (AuditRecordFormatException) when (stopAtMalformed)
        {
        }

        return checkpoints;
    }

    /// <summary>The last record of an export: the anchor that the records after it must continue from.</summary>
    public static async Task<AuditHead?> ReadLastAsync(Stream input, CancellationToken cancellationToken)
    {
        AuditHead? last = null;
        await foreach (var record in ReadRecordsAsync(input, cancellationToken).ConfigureAwait(false))
        {
            last = new AuditHead(record.Sequence, record.Hash);
        }

        return last;
    }

    /// <summary>A saved checkpoint file (<c>bulwark audit checkpoint -o</c>).</summary>
    public static async Task WriteCheckpointAsync(Stream output, AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(checkpoint);
        await JsonSerializer.SerializeAsync(output, ToDocument(checkpoint), AuditJsonContext.Default.AuditCheckpointDocument, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="AuditRecordFormatException">Not a checkpoint document.</exception>
    public static async Task<AuditCheckpoint> ReadCheckpointAsync(Stream input, CancellationToken cancellationToken)
    {
        try
        {
            var document = await JsonSerializer.DeserializeAsync(input, AuditJsonContext.Default.AuditCheckpointDocument, cancellationToken).ConfigureAwait(false);
            return FromDocument(document ?? throw new AuditRecordFormatException("the checkpoint file is empty"), "the checkpoint file");
        }
        catch (JsonException e)
        {
            throw new AuditRecordFormatException($"the checkpoint file is not a checkpoint: {e.Message}", e);
        }
    }

    public static AuditCheckpointDocument ToDocument(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new(checkpoint.Sequence, checkpoint.HeadHash, AuditCanonicalForm.FormatTime(checkpoint.Time), checkpoint.KeyId, checkpoint.Signature);
    }

    private static AuditCheckpoint FromDocument(AuditCheckpointDocument document, string where)
    {
        if (document.HeadHash is null || document.KeyId is null || document.Signature is null || !TryParseTime(document.Time, out var time))
        {
            throw new AuditRecordFormatException($"{where}: the checkpoint is incomplete");
        }

        return new AuditCheckpoint(document.Sequence, document.HeadHash, time, document.KeyId, document.Signature);
    }

    private static async IAsyncEnumerable<(long Number, AuditExportLine Line)> ReadLinesAsync(Stream input,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: true), false, 64 * 1024, leaveOpen: true);
        long number = 0;
        while (true)
        {
            string? text;
            try
            {
                text = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DecoderFallbackException e)
            {
                throw new AuditRecordFormatException($"line {number + 1} is not UTF-8", e);
            }

            if (text is null)
            {
                yield break;
            }

            number++;
            if (text.Length == 0)
            {
                continue;
            }

            AuditExportLine? line;
            try
            {
                line = JsonSerializer.Deserialize(text, AuditJsonContext.Default.AuditExportLine);
            }
            catch (JsonException e)
            {
                throw new AuditRecordFormatException($"line {number} is not an audit record: {e.Message}", e);
            }

            yield return (number, line ?? throw new AuditRecordFormatException($"line {number} is null"));
        }
    }

    private static AuditRecord ToRecord(long number, AuditExportLine line)
    {
        var where = line.Sequence is { } s ? $"line {number} (record {s})" : $"line {number}";
        if (line.Version != AuditRecord.FormatVersion)
        {
            throw new AuditRecordFormatException(line.Sequence, $"{where}: unsupported version {line.Version}");
        }

        if (line.Sequence is not { } sequence || line.Action is null || line.Actor is null || line.Hash is null || line.PreviousHash is null
            || !AuditWireNames.TryParseActorKind(line.Actor.Kind, out var kind)
            || !AuditWireNames.TryParseOutcome(line.Outcome, out var outcome)
            || !TryParseTime(line.Time, out var time))
        {
            throw new AuditRecordFormatException(line.Sequence, $"{where}: a required member is missing or malformed");
        }

        SortedDictionary<string, string>? details = line.Details is { Count: > 0 } d ? new(d, StringComparer.Ordinal) : null;
        return new AuditRecord(sequence, time, new AuditActor(kind, line.Actor.Id), line.Action, line.Target, line.ClientAddress,
            line.UserAgent, outcome, line.Reason, details, line.PreviousHash, line.Hash);
    }

    private static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
