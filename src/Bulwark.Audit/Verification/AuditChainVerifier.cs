using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Export;
using Bulwark.Audit.Records;
using Bulwark.Audit.Storage;

namespace Bulwark.Audit.Verification;

/// <summary>
/// Recomputes a chain — from the database or an export — and reports the first record that is wrong and how.
/// Every record is checked for its own hash, its sequence number (one more than the previous) and its link
/// (previousHash equals the previous record's hash); when one fails, a bounded look at the neighbouring
/// records tells an edit from a deletion, an insertion or a move. Signed checkpoints then catch what the
/// chain alone cannot: a rewritten chain (hash differs at the checkpoint) and a cut-off tail.
/// </summary>
public static class AuditChainVerifier
{
    // How far around a broken record to look for where it belongs; only used once a record has failed.
    private const int Window = 64;

    public static async Task<AuditVerificationResult> VerifyAsync(IAsyncEnumerable<AuditRecord> records,
        AuditVerificationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        var notes = new List<string>();
        var state = new ChainState();

        if (CheckCheckpoints(options, notes, out var checkpoints) is { } badCheckpoint)
        {
            return state.Result(badCheckpoint, notes);
        }

        await using var reader = new RecordLookahead(records.GetAsyncEnumerator(cancellationToken));
        while (true)
        {
            AuditRecord? record;
            try
            {
                record = await reader.NextAsync().ConfigureAwait(false);
            }
            catch (AuditRecordFormatException e)
            {
                var kind = e.Sequence is null ? AuditTamperKind.Malformed : AuditTamperKind.Edited;
                return state.Result(new AuditTamperFinding(kind, e.Sequence, e.Message), notes);
            }

            if (record is null)
            {
                break;
            }

            var finding = state.Count == 0
                ? await CheckFirstAsync(record, options, checkpoints, notes, reader).ConfigureAwait(false)
                : await CheckNextAsync(state, record, reader).ConfigureAwait(false);
            if (finding is not null)
            {
                return state.Result(finding, notes);
            }

            if (checkpoints.TryGetValue(record.Sequence, out var checkpoint))
            {
                if (!string.Equals(checkpoint.HeadHash, record.Hash, StringComparison.Ordinal))
                {
                    return state.Result(new AuditTamperFinding(AuditTamperKind.CheckpointMismatch, record.Sequence,
                        $"the signed checkpoint of {AuditCanonicalForm.FormatTime(checkpoint.Time)} says record {record.Sequence} has hash " +
                        $"{checkpoint.HeadHash}, the chain has {record.Hash}: records up to {record.Sequence} were rewritten"), notes);
                }

                state.CheckpointsMatched++;
            }

            state.Accept(record);
        }

        var end = state.Last?.Sequence ?? options.Anchor?.Sequence ?? 0;
        if (checkpoints.Values.Where(c => c.Sequence > end).OrderByDescending(c => c.Sequence).FirstOrDefault() is { } beyond)
        {
            return state.Result(new AuditTamperFinding(AuditTamperKind.Truncated, end + 1,
                $"a signed checkpoint covers records up to {beyond.Sequence}, but the log ends at {end}: " +
                $"records {end + 1}–{beyond.Sequence} were removed"), notes);
        }

        return state.Result(null, notes);
    }

    /// <summary>
    /// Verifies an export: its records in file order against its own checkpoint lines and
    /// <paramref name="options"/>' checkpoints. <paramref name="openExport"/> is called twice (checkpoints are
    /// read first, as they follow the records), so the file is streamed, never held in memory.
    /// </summary>
    public static async Task<AuditVerificationResult> VerifyExportAsync(Func<Stream> openExport, AuditVerificationOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openExport);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<AuditCheckpoint> embedded;
        await using (var first = openExport())
        {
            embedded = await AuditExportFormat.ReadCheckpointsAsync(first, stopAtMalformed: true, cancellationToken).ConfigureAwait(false);
        }

        await using var second = openExport();
        return await VerifyAsync(AuditExportFormat.ReadRecordsAsync(second, cancellationToken),
            options with { Checkpoints = [.. embedded, .. options.Checkpoints] }, cancellationToken).ConfigureAwait(false);
    }

    private static AuditTamperFinding? CheckCheckpoints(AuditVerificationOptions options, List<string> notes,
        out Dictionary<long, AuditCheckpoint> bySequence)
    {
        bySequence = [];
        if (options.Checkpoints.Count > 0 && options.PublicKey is null)
        {
            notes.Add("checkpoint signatures were not checked (no public key)");
        }

        foreach (var checkpoint in options.Checkpoints.OrderBy(c => c.Sequence))
        {
            if (options.PublicKey is not null && !checkpoint.IsSignedBy(options.PublicKey))
            {
                return new AuditTamperFinding(AuditTamperKind.BadCheckpointSignature, checkpoint.Sequence,
                    $"the checkpoint at sequence {checkpoint.Sequence} is not signed by the given key (forged or altered)");
            }

            if (bySequence.TryGetValue(checkpoint.Sequence, out var other)
                && !string.Equals(other.HeadHash, checkpoint.HeadHash, StringComparison.Ordinal))
            {
                return new AuditTamperFinding(AuditTamperKind.CheckpointMismatch, checkpoint.Sequence,
                    $"two checkpoints at sequence {checkpoint.Sequence} disagree about its hash");
            }

            bySequence[checkpoint.Sequence] = checkpoint;
        }

        return null;
    }

    private static async ValueTask<AuditTamperFinding?> CheckFirstAsync(AuditRecord record, AuditVerificationOptions options,
        Dictionary<long, AuditCheckpoint> checkpoints, List<string> notes, RecordLookahead reader)
    {
        var anchor = options.Anchor;
        if (anchor is null && record.Sequence == 1)
        {
            anchor = AuditHead.Genesis;
        }

        if (anchor is null && checkpoints.Values.Where(c => c.Sequence < record.Sequence).MaxBy(c => c.Sequence) is { } below)
        {
            if (below.Sequence == record.Sequence - 1)
            {
                anchor = new AuditHead(below.Sequence, below.HeadHash);
            }
            else if (options.StartFollowsCheckpoint)
            {
                return new AuditTamperFinding(AuditTamperKind.Deleted, below.Sequence + 1,
                    $"the log starts at {record.Sequence}, but the newest checkpoint before it is at {below.Sequence}: " +
                    $"records {below.Sequence + 1}–{record.Sequence - 1} were removed");
            }
        }

        if (anchor is null)
        {
            notes.Add($"the chain starts at sequence {record.Sequence} without an anchor: records before it cannot be checked " +
                "(pass the previous archive as the anchor)");
            return record.HasValidHash() ? null : await ExplainBrokenAsync(null, record, reader).ConfigureAwait(false);
        }

        if (record.Sequence != anchor.Sequence + 1 || !string.Equals(record.PreviousHash, anchor.Hash, StringComparison.Ordinal))
        {
            if (!record.HasValidHash())
            {
                return await ExplainBrokenAsync(null, record, reader).ConfigureAwait(false);
            }

            return record.Sequence > anchor.Sequence + 1
                ? new AuditTamperFinding(AuditTamperKind.Deleted, anchor.Sequence + 1,
                    $"the chain should continue from record {anchor.Sequence} but starts at {record.Sequence}: " +
                    $"records {anchor.Sequence + 1}–{record.Sequence - 1} are missing")
                : new AuditTamperFinding(AuditTamperKind.AnchorMismatch, record.Sequence,
                    $"record {record.Sequence} does not continue from the anchor (record {anchor.Sequence}, hash {anchor.Hash})");
        }

        return record.HasValidHash() ? null : await ExplainBrokenAsync(null, record, reader).ConfigureAwait(false);
    }

    private static async ValueTask<AuditTamperFinding?> CheckNextAsync(ChainState state, AuditRecord record, RecordLookahead reader)
    {
        var previous = state.Last!;
        if (record.Sequence == previous.Sequence)
        {
            return new AuditTamperFinding(AuditTamperKind.Inserted, record.Sequence, $"sequence number {record.Sequence} appears twice");
        }

        if (record.Sequence < previous.Sequence)
        {
            return new AuditTamperFinding(AuditTamperKind.Reordered, record.Sequence,
                $"record {record.Sequence} comes after record {previous.Sequence}");
        }

        var linked = string.Equals(record.PreviousHash, previous.Hash, StringComparison.Ordinal);
        var contiguous = record.Sequence == previous.Sequence + 1;
        if (!record.HasValidHash())
        {
            return await ExplainBrokenAsync(previous, record, reader).ConfigureAwait(false);
        }

        if (linked)
        {
            return contiguous ? null : new AuditTamperFinding(AuditTamperKind.Edited, record.Sequence,
                $"record {record.Sequence} links to record {previous.Sequence} but its number does not follow: sequence numbers were rewritten");
        }

        if (!contiguous)
        {
            var missing = previous.Sequence + 1;
            var window = await reader.PeekAsync(Window).ConfigureAwait(false);
            return window.Any(r => r.Sequence == missing)
                ? new AuditTamperFinding(AuditTamperKind.Reordered, record.Sequence,
                    $"record {record.Sequence} comes before record {missing}")
                : new AuditTamperFinding(AuditTamperKind.Deleted, missing,
                    $"records {missing}–{record.Sequence - 1} are missing (record {record.Sequence} follows record {previous.Sequence})");
        }

        return new AuditTamperFinding(AuditTamperKind.Inserted, record.Sequence,
            $"record {record.Sequence} does not link to record {previous.Sequence} (its previousHash is {record.PreviousHash}, " +
            $"record {previous.Sequence} has hash {previous.Hash}): a record was inserted here, or record {previous.Sequence} was replaced");
    }

    /// <summary>Explains a record whose content does not match its hash.</summary>
    private static async ValueTask<AuditTamperFinding> ExplainBrokenAsync(AuditRecord? previous, AuditRecord record, RecordLookahead reader)
    {
        // The record before it was slipped in: both it and this record claim the same predecessor.
        if (previous is not null
            && string.Equals(record.PreviousHash, previous.PreviousHash, StringComparison.Ordinal)
            && !string.Equals(record.PreviousHash, previous.Hash, StringComparison.Ordinal))
        {
            return new AuditTamperFinding(AuditTamperKind.Inserted, previous.Sequence,
                $"records {previous.Sequence} and {record.Sequence} both claim to follow record {previous.Sequence - 1}: " +
                $"record {previous.Sequence} was inserted and the records after it renumbered");
        }

        // The content is intact but was moved: its hash verifies at another sequence number.
        if (FindOriginalSequence(record) is { } original)
        {
            var after = await reader.PeekAsync(1).ConfigureAwait(false);
            var next = after.Count > 0 ? after[0] : null;
            var shift = original - record.Sequence;
            var shiftedToo = next is not null && next.Sequence == record.Sequence + 1
                && string.Equals((next with { Sequence = next.Sequence + shift }).ComputeHash(), next.Hash, StringComparison.Ordinal);
            return shift > 0 && shiftedToo
                ? new AuditTamperFinding(AuditTamperKind.Deleted, record.Sequence,
                    $"record {record.Sequence} is originally record {original}: {shift} record(s) were deleted and the later ones renumbered")
                : new AuditTamperFinding(AuditTamperKind.Reordered, record.Sequence,
                    $"the record at position {record.Sequence} is record {original} moved there");
        }

        return new AuditTamperFinding(AuditTamperKind.Edited, record.Sequence,
            $"record {record.Sequence} does not match its hash: its content was changed");
    }

    private static long? FindOriginalSequence(AuditRecord record)
    {
        for (var distance = 1; distance <= Window; distance++)
        {
            foreach (var candidate in (ReadOnlySpan<long>)[record.Sequence + distance, record.Sequence - distance])
            {
                if (candidate >= 1 && string.Equals((record with { Sequence = candidate }).ComputeHash(), record.Hash, StringComparison.Ordinal))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private sealed class ChainState
    {
        public long Count { get; private set; }

        public long? First { get; private set; }

        public AuditRecord? Last { get; private set; }

        public int CheckpointsMatched { get; set; }

        public void Accept(AuditRecord record)
        {
            First ??= record.Sequence;
            Last = record;
            Count++;
        }

        public AuditVerificationResult Result(AuditTamperFinding? finding, List<string> notes) =>
            new(finding, Count, First, Last?.Sequence, Last?.Hash, CheckpointsMatched, notes);
    }
}
