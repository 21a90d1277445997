using Bulwark.Audit.Records;
using Bulwark.Audit.Verification;

namespace Bulwark.Audit.Tests;

/// <summary>Every kind of change an attacker with write access to the database can make, and what verify says.</summary>
public sealed class DatabaseTamperingTests
{
    private static async Task<(AuditHarness Harness, List<AuditRecord> Records)> TenRecordsAsync()
    {
        var harness = await AuditHarness.CreateAsync();
        return (harness, await harness.AppendManyAsync(10));
    }

    private static void AssertFinding(AuditVerificationResult result, AuditTamperKind kind, long sequence)
    {
        Assert.False(result.IsValid);
        Assert.Equal(kind, result.Finding!.Kind);
        Assert.True(sequence == result.Finding.Sequence, result.Finding.ToString());
    }

    [Fact]
    public async Task Verify_Untouched_Valid()
    {
        var (harness, records) = await TenRecordsAsync();
        await using var _ = harness;
        var result = await harness.VerifyAsync();
        Assert.True(result.IsValid);
        Assert.Equal((10, 1L, 10L, records[^1].Hash), (result.Records, result.FirstSequence, result.LastSequence, result.HeadHash));
        Assert.Empty(result.Notes);
    }

    [Theory]
    [InlineData("Reason = 'cleaned up'")]
    [InlineData("ActorId = 'mallory'")]
    [InlineData("Time = Time + 1")]
    [InlineData("Details = '{\"index\":\"99\"}'")]
    [InlineData("Outcome = 'denied'")]
    [InlineData("Hash = '0000000000000000000000000000000000000000000000000000000000000000'")]
    public async Task Verify_FieldEditedWithSql_Edited(string assignment)
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.ExecuteSqlAsync($"UPDATE audit_records SET {assignment} WHERE Sequence = 5");
        var result = await harness.VerifyAsync();
        AssertFinding(result, AuditTamperKind.Edited, 5);
        Assert.Equal(4, result.Records);
    }

    [Fact]
    public async Task Verify_ValueOutsideTheFormat_Edited()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.ExecuteSqlAsync("UPDATE audit_records SET Outcome = 'ok' WHERE Sequence = 6");
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.Edited, 6);
    }

    [Fact]
    public async Task Verify_RowDeleted_Deleted()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.ExecuteSqlAsync("DELETE FROM audit_records WHERE Sequence IN (4, 5)");
        var result = await harness.VerifyAsync();
        AssertFinding(result, AuditTamperKind.Deleted, 4);
        Assert.Contains("4–5", result.Finding!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RowDeletedAndRestRenumbered_Deleted()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.ExecuteSqlAsync("""
            DELETE FROM audit_records WHERE Sequence = 5;
            UPDATE audit_records SET Sequence = -Sequence WHERE Sequence > 5;
            UPDATE audit_records SET Sequence = -Sequence - 1 WHERE Sequence < 0;
            """);
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.Deleted, 5);
    }

    [Fact]
    public async Task Verify_ForgedRowInsertedAndRestRenumbered_Inserted()
    {
        var (harness, records) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.ExecuteSqlAsync("""
            UPDATE audit_records SET Sequence = -Sequence WHERE Sequence >= 5;
            UPDATE audit_records SET Sequence = -Sequence + 1 WHERE Sequence < 0;
            """);
        // A well-formed forgery: correct hash, linked to record 4. Only what follows it gives it away.
        var forged = records[4] with { Actor = AuditActor.User("mallory"), PreviousHash = records[3].Hash };
        await harness.WriteRowsAsync([forged with { Hash = forged.ComputeHash() }]);
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.Inserted, 5);
    }

    [Fact]
    public async Task Verify_ForgedRowAppendedAtTheEnd_Inserted()
    {
        var (harness, records) = await TenRecordsAsync();
        await using var _ = harness;
        var forged = records[^1] with { Sequence = 11, PreviousHash = new string('f', 64), Reason = "forged" };
        await harness.WriteRowsAsync([forged with { Hash = forged.ComputeHash() }]);
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.Inserted, 11);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(2, 9)]
    public async Task Verify_TwoRowsSwapped_Reordered(int a, int b)
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.ExecuteSqlAsync($"""
            UPDATE audit_records SET Sequence = -1 WHERE Sequence = {a};
            UPDATE audit_records SET Sequence = {a} WHERE Sequence = {b};
            UPDATE audit_records SET Sequence = {b} WHERE Sequence = -1;
            """);
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.Reordered, a);
    }

    [Fact]
    public async Task Verify_TailTruncatedWithSavedCheckpoint_Truncated()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        var saved = await harness.Checkpoints.CreateAsync(CancellationToken.None);
        // The attacker removes the newest records and every stored checkpoint; the saved one remains elsewhere.
        await harness.ExecuteSqlAsync("DELETE FROM audit_records WHERE Sequence > 7; DELETE FROM audit_checkpoints;");

        var withoutCheckpoint = await harness.VerifyAsync();
        Assert.True(withoutCheckpoint.IsValid); // the chain alone cannot tell a short log from a cut one
        using var key = harness.Checkpoints.Key.PublicKey();
        var result = await harness.VerifyAsync(new AuditVerificationOptions { Checkpoints = [saved!], PublicKey = key });
        AssertFinding(result, AuditTamperKind.Truncated, 8);
        Assert.Contains("8–10", result.Finding!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TailTruncatedStoredCheckpointKept_Truncated()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.Checkpoints.CreateAsync(CancellationToken.None);
        await harness.ExecuteSqlAsync("DELETE FROM audit_records WHERE Sequence > 9");
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.Truncated, 10);
    }

    [Fact]
    public async Task Verify_TailTruncatedThenNewRecordsAppended_CheckpointMismatch()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        var saved = await harness.Checkpoints.CreateAsync(CancellationToken.None);
        // A careful attacker also winds the head back, so that new records continue from record 7 without a gap.
        await harness.ExecuteSqlAsync("""
            DELETE FROM audit_records WHERE Sequence > 7; DELETE FROM audit_checkpoints;
            UPDATE audit_head SET Sequence = 7, Hash = (SELECT Hash FROM audit_records WHERE Sequence = 7);
            """);
        await using (var restarted = await harness.ReopenAsync())
        {
            await restarted.AppendManyAsync(5);
        }

        using var key = harness.Checkpoints.Key.PublicKey();
        AssertFinding(await harness.VerifyAsync(new AuditVerificationOptions { Checkpoints = [saved!], PublicKey = key }),
            AuditTamperKind.CheckpointMismatch, 10);
    }

    [Fact]
    public async Task Verify_TailTruncatedThenNewRecordsAppended_HeadRowLeavesAGap()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.ExecuteSqlAsync("DELETE FROM audit_records WHERE Sequence > 7");
        await harness.AppendManyAsync(2);
        var result = await harness.VerifyAsync();
        AssertFinding(result, AuditTamperKind.Deleted, 8);
        Assert.Contains("8–10", result.Finding!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ChainRewrittenWithValidHashes_CheckpointMismatch()
    {
        var (harness, records) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.Checkpoints.CreateAsync(CancellationToken.None);
        // The attacker edits record 3 and recomputes every hash after it: the chain is self-consistent again.
        var rewritten = new List<AuditRecord>();
        var previous = records[1].Hash;
        foreach (var record in records.Skip(2))
        {
            var changed = record with { PreviousHash = previous, Reason = record.Sequence == 3 ? "nothing to see" : record.Reason };
            changed = changed with { Hash = changed.ComputeHash() };
            rewritten.Add(changed);
            previous = changed.Hash;
        }

        await harness.WriteRowsAsync(rewritten);
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.CheckpointMismatch, 10);
    }

    [Fact]
    public async Task Verify_StoredCheckpointForged_BadCheckpointSignature()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.Checkpoints.CreateAsync(CancellationToken.None);
        await harness.ExecuteSqlAsync("UPDATE audit_checkpoints SET Sequence = 12 WHERE Sequence = 10");
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.BadCheckpointSignature, 12);
    }

    [Fact]
    public async Task Verify_CheckpointSignedWithAnotherKey_BadCheckpointSignature()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await using var other = await AuditHarness.CreateAsync();
        await other.AppendManyAsync(10);
        var foreign = await other.Checkpoints.CreateAsync(CancellationToken.None);
        using var key = harness.Checkpoints.Key.PublicKey();
        AssertFinding(await harness.VerifyAsync(new AuditVerificationOptions { Checkpoints = [foreign!], PublicKey = key }),
            AuditTamperKind.BadCheckpointSignature, 10);
    }

    [Fact]
    public async Task Verify_OldestRowsDeleted_ChainStartsUnanchored()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.ExecuteSqlAsync("DELETE FROM audit_records WHERE Sequence <= 3");
        // No checkpoint below the start and no anchor: not provable from the database alone; verify says so.
        var result = await harness.VerifyAsync();
        Assert.True(result.IsValid);
        Assert.Contains(result.Notes, n => n.Contains("without an anchor", StringComparison.Ordinal));
        // With the records before it (an anchor), the deletion shows.
        var anchored = await harness.VerifyAsync(new AuditVerificationOptions { Anchor = new AuditHead(0, AuditHead.GenesisHash) });
        AssertFinding(anchored, AuditTamperKind.Deleted, 1);
    }

    [Fact]
    public async Task Verify_OldestRowsDeletedAfterACheckpoint_Deleted()
    {
        var (harness, _) = await TenRecordsAsync();
        await using var _ = harness;
        await harness.Checkpoints.CreateAsync(CancellationToken.None);
        await harness.AppendManyAsync(10);
        await harness.ExecuteSqlAsync("DELETE FROM audit_records WHERE Sequence <= 12");
        AssertFinding(await harness.VerifyAsync(), AuditTamperKind.Deleted, 11);
    }
}
