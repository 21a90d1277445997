using Bulwark.Audit.Records;

namespace Bulwark.Audit.Tests;

public sealed class AuditLogAppendTests
{
    [Fact]
    public async Task AppendAsync_FirstRecords_ChainFromGenesis()
    {
        await using var harness = await AuditHarness.CreateAsync();
        harness.Time.Advance(TimeSpan.FromTicks(12_345)); // sub-millisecond part is dropped
        var first = await harness.Log.AppendAsync(AuditHarness.Event(0), CancellationToken.None);
        var second = await harness.Log.AppendAsync(AuditHarness.Event(1), CancellationToken.None);

        Assert.Equal(1, first.Sequence);
        Assert.Equal(AuditHead.GenesisHash, first.PreviousHash);
        Assert.Equal(AuditHarness.Start.AddMilliseconds(1), first.Time);
        Assert.True(first.HasValidHash());
        Assert.Equal(2, second.Sequence);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(new AuditHead(2, second.Hash), await harness.Log.GetHeadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_StoredRecord_ReadsBackIdentical()
    {
        await using var harness = await AuditHarness.CreateAsync();
        var appended = await harness.Log.AppendAsync(AuditHarness.Event(7), CancellationToken.None);
        var stored = Assert.Single(await harness.AllAsync());
        Assert.Equal(appended.Hash, stored.Hash);
        Assert.True(stored.HasValidHash());
        Assert.Equal("7", stored.Details!["index"]);
    }

    [Fact]
    public async Task AppendAsync_ClientText_TruncatedAndCleaned()
    {
        await using var harness = await AuditHarness.CreateAsync();
        var agent = new string('a', AuditFieldLimits.UserAgent - 1) + "😀";
        var record = await harness.Log.AppendAsync(new AuditEvent(AuditActor.Anonymous, AuditActions.AuthLogin, "bob\0\ud800x",
            AuditOutcome.Failure, UserAgent: agent), CancellationToken.None);

        // The surrogate pair does not fit and is not split; NUL and the lone surrogate become U+FFFD.
        Assert.Equal(AuditFieldLimits.UserAgent - 1, record.UserAgent!.Length);
        Assert.Equal("bob\uFFFD\uFFFDx", record.Target);
        var stored = Assert.Single(await harness.AllAsync());
        Assert.True(stored.HasValidHash());
        Assert.Equal(record.Target, stored.Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("push")]
    [InlineData("Registry.Push")]
    [InlineData("registry..push")]
    [InlineData("registry.push ")]
    public async Task AppendAsync_MalformedAction_Throws(string action)
    {
        await using var harness = await AuditHarness.CreateAsync();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Log.AppendAsync(new AuditEvent(AuditActor.System, action, null, AuditOutcome.Success), CancellationToken.None));
        Assert.Empty(await harness.AllAsync());
    }

    [Fact]
    public async Task AppendAsync_MalformedDetails_Throws()
    {
        await using var harness = await AuditHarness.CreateAsync();
        var tooMany = Enumerable.Range(0, AuditFieldLimits.DetailCount + 1).ToDictionary(i => $"k{i}", i => "v");
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Log.AppendAsync(
            new AuditEvent(AuditActor.System, AuditActions.ConfigChange, null, AuditOutcome.Success, Details: tooMany), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Log.AppendAsync(
            new AuditEvent(AuditActor.System, AuditActions.ConfigChange, null, AuditOutcome.Success,
                Details: new Dictionary<string, string> { ["bad key"] = "v" }), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_500From20Tasks_OneUnbrokenChain()
    {
        await using var harness = await AuditHarness.CreateAsync();
        var appended = await Task.WhenAll(Enumerable.Range(0, 20).Select(task => Task.Run(async () =>
        {
            var mine = new List<AuditRecord>();
            for (var i = 0; i < 25; i++)
            {
                mine.Add(await harness.Log.AppendAsync(AuditHarness.Event((task * 25) + i, actor: $"task-{task}"), CancellationToken.None));
            }

            return mine;
        })));

        var sequences = appended.SelectMany(r => r).Select(r => r.Sequence).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), sequences);
        var stored = await harness.AllAsync();
        Assert.Equal(500, stored.Count);
        var result = await harness.VerifyAsync();
        Assert.True(result.IsValid, result.Finding?.ToString());
        Assert.Equal(500, result.Records);
    }

    [Fact]
    public async Task AppendAsync_TwoProcessesOnOneDatabase_OneUnbrokenChain()
    {
        // Two independent logs (each with its own cached head) stand in for two replicas or the server and the CLI.
        await using var first = await AuditHarness.CreateAsync();
        await using var second = await first.ReopenAsync();
        await Task.WhenAll(
            Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
            {
                var log = t % 2 == 0 ? first.Log : second.Log;
                for (var i = 0; i < 25; i++)
                {
                    await log.AppendAsync(AuditHarness.Event(i, actor: $"replica-{t % 2}"), CancellationToken.None);
                }
            })));

        var stored = await first.AllAsync();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), stored.Select(r => r.Sequence));
        var result = await second.VerifyAsync();
        Assert.True(result.IsValid, result.Finding?.ToString());
    }

    [Fact]
    public async Task AppendAsync_AfterRestart_ContinuesTheChain()
    {
        await using var harness = await AuditHarness.CreateAsync();
        var before = await harness.AppendManyAsync(10);
        await using (var restarted = await harness.ReopenAsync())
        {
            var next = await restarted.Log.AppendAsync(AuditHarness.Event(10), CancellationToken.None);
            Assert.Equal(11, next.Sequence);
            Assert.Equal(before[^1].Hash, next.PreviousHash);
            await restarted.AppendManyAsync(9);
        }

        // The first instance's cached head is stale now; it must notice and chain after the other's records.
        var last = await harness.Log.AppendAsync(AuditHarness.Event(20), CancellationToken.None);
        Assert.Equal(21, last.Sequence);
        var result = await harness.VerifyAsync();
        Assert.True(result.IsValid, result.Finding?.ToString());
        Assert.Equal(21, result.Records);
    }

    [Fact]
    public async Task AppendAsync_OtherProcessPurgedPastThisOnesLastWrite_StillChainsAfterTheRealHead()
    {
        await using var first = await AuditHarness.CreateAsync();
        await using var second = await first.ReopenAsync();
        await first.AppendManyAsync(5);
        await second.AppendManyAsync(1);
        await first.AppendManyAsync(5);
        using var archive = new MemoryStream();
        await first.Retention.ArchiveAndPurgeAsync(AuditHarness.Start.AddYears(1), archive, null, CancellationToken.None);

        // Record 7 (the one after the second log's last write) is gone: only the head row stops a fork there.
        var next = await second.Log.AppendAsync(AuditHarness.Event(99), CancellationToken.None);
        Assert.Equal(13, next.Sequence);
        var result = await second.VerifyAsync();
        Assert.True(result.IsValid, result.Finding?.ToString());
    }

    [Fact]
    public async Task AppendAsync_CancelledWhileWaiting_EventStillWritten()
    {
        await using var harness = await AuditHarness.CreateAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Log.AppendAsync(AuditHarness.Event(0), cancelled.Token));
        var next = await harness.Log.AppendAsync(AuditHarness.Event(1), CancellationToken.None);

        Assert.Equal(2, next.Sequence);
        Assert.Equal(["0", "1"], (await harness.AllAsync()).Select(r => r.Details!["index"]));
    }
}
