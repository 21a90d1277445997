using System.Text;
using Bulwark.Audit.Export;
using Bulwark.Audit.Records;
using Bulwark.Audit.Verification;

namespace Bulwark.Audit.Tests;

public sealed class RetentionTests
{
    /// <summary>Ten records a day apart: record n was written on day n-1.</summary>
    private static async Task<AuditHarness> TenDaysAsync()
    {
        var harness = await AuditHarness.CreateAsync();
        for (var i = 0; i < 10; i++)
        {
            await harness.Log.AppendAsync(AuditHarness.Event(i), CancellationToken.None);
            harness.Time.Advance(TimeSpan.FromDays(1));
        }

        return harness;
    }

    private static async Task<(Retention.AuditPurgeResult Result, byte[] Archive)> PurgeAsync(AuditHarness harness, DateTimeOffset before)
    {
        using var archive = new MemoryStream();
        var written = false;
        var result = await harness.Retention.ArchiveAndPurgeAsync(before, archive, _ =>
        {
            written = true;
            return Task.CompletedTask;
        }, CancellationToken.None);
        Assert.Equal(result.Purged > 0, written);
        return (result, archive.ToArray());
    }

    [Fact]
    public async Task ArchiveAndPurge_OldRecords_ArchivedThenRemoved()
    {
        await using var harness = await TenDaysAsync();
        var (result, archive) = await PurgeAsync(harness, AuditHarness.Start.AddDays(4));

        Assert.Equal((4, 1L, 4L), (result.Purged, result.FirstSequence, result.LastSequence));
        var lines = Encoding.UTF8.GetString(archive).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("{\"checkpoint\":{\"sequence\":4,", lines[^1], StringComparison.Ordinal);
        var remaining = await harness.AllAsync();
        Assert.Equal(Enumerable.Range(5, 7).Select(i => (long)i), remaining.Select(r => r.Sequence));
        var purgeRecord = remaining[^1];
        Assert.Equal((AuditActions.AuditPurge, AuditActorKind.System), (purgeRecord.Action, purgeRecord.Actor.Kind));
        Assert.Equal(result.Checkpoint!.HeadHash, purgeRecord.Details!["lastHash"]);
    }

    [Fact]
    public async Task ArchiveAndPurge_RemainingChain_VerifiesAnchoredByThePurgeCheckpoint()
    {
        await using var harness = await TenDaysAsync();
        var (_, archive) = await PurgeAsync(harness, AuditHarness.Start.AddDays(4));

        var database = await harness.VerifyAsync();
        Assert.True(database.IsValid, database.Finding?.ToString());
        Assert.Empty(database.Notes);
        Assert.Equal(5, database.FirstSequence);

        // From the archive's last record, as an operator holding only the archive would check it.
        var anchor = await AuditExportFormat.ReadLastAsync(new MemoryStream(archive), CancellationToken.None);
        var anchored = await harness.VerifyAsync(new AuditVerificationOptions { Anchor = anchor });
        Assert.True(anchored.IsValid, anchored.Finding?.ToString());

        // The archive itself: a chain from genesis ending at its signed checkpoint.
        using var key = harness.Checkpoints.Key.PublicKey();
        var archived = await AuditChainVerifier.VerifyExportAsync(() => new MemoryStream(archive),
            new AuditVerificationOptions { PublicKey = key }, CancellationToken.None);
        Assert.True(archived.IsValid, archived.Finding?.ToString());
        Assert.Equal((4, 1), (archived.Records, archived.CheckpointsMatched));
    }

    [Fact]
    public async Task ArchiveAndPurge_AfterRestartAndMoreAppends_StillVerifies()
    {
        await using var harness = await TenDaysAsync();
        await PurgeAsync(harness, AuditHarness.Start.AddDays(4));
        await using var restarted = await harness.ReopenAsync();
        await restarted.AppendManyAsync(5);
        var result = await restarted.VerifyAsync();
        Assert.True(result.IsValid, result.Finding?.ToString());
        Assert.Equal((5L, 16L), (result.FirstSequence!.Value, result.LastSequence!.Value));
    }

    [Fact]
    public async Task ArchiveAndPurge_Twice_SecondArchiveContinuesTheFirst()
    {
        await using var harness = await TenDaysAsync();
        var (_, first) = await PurgeAsync(harness, AuditHarness.Start.AddDays(3));
        var (_, second) = await PurgeAsync(harness, AuditHarness.Start.AddDays(7));
        var anchor = await AuditExportFormat.ReadLastAsync(new MemoryStream(first), CancellationToken.None);
        using var key = harness.Checkpoints.Key.PublicKey();

        var result = await AuditChainVerifier.VerifyExportAsync(() => new MemoryStream(second),
            new AuditVerificationOptions { Anchor = anchor, PublicKey = key }, CancellationToken.None);
        Assert.True(result.IsValid, result.Finding?.ToString());
        Assert.Equal((4L, 7L), (result.FirstSequence!.Value, result.LastSequence!.Value));
        var unanchored = await AuditChainVerifier.VerifyExportAsync(() => new MemoryStream(second),
            new AuditVerificationOptions { PublicKey = key }, CancellationToken.None);
        Assert.True(unanchored.IsValid);
        Assert.Contains(unanchored.Notes, n => n.Contains("without an anchor", StringComparison.Ordinal));
        Assert.True((await harness.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task ArchiveAndPurge_FirstRemainingRowsDeletedLater_Deleted()
    {
        await using var harness = await TenDaysAsync();
        await PurgeAsync(harness, AuditHarness.Start.AddDays(4));
        await harness.ExecuteSqlAsync("DELETE FROM audit_records WHERE Sequence IN (5, 6)");
        var result = await harness.VerifyAsync();
        Assert.Equal((AuditTamperKind.Deleted, 5L), (result.Finding!.Kind, result.Finding.Sequence!.Value));
    }

    [Fact]
    public async Task ArchiveAndPurge_EverythingOld_KeepsTheNewestRecord()
    {
        await using var harness = await TenDaysAsync();
        var (result, _) = await PurgeAsync(harness, AuditHarness.Start.AddYears(1));
        Assert.Equal(9, result.Purged);
        Assert.Equal([10L, 11L], (await harness.AllAsync()).Select(r => r.Sequence));
        Assert.True((await harness.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task ArchiveAndPurge_NothingOlder_NothingWritten()
    {
        await using var harness = await TenDaysAsync();
        var (result, archive) = await PurgeAsync(harness, AuditHarness.Start);
        Assert.Equal(0, result.Purged);
        Assert.Empty(archive);
        Assert.Equal(10, (await harness.AllAsync()).Count);
    }
}
