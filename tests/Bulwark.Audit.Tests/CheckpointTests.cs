using System.Runtime.Versioning;
using Bulwark.Audit.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Audit.Tests;

public sealed class CheckpointTests
{
    [Fact]
    public async Task CreateAsync_EmptyLog_Null()
    {
        await using var harness = await AuditHarness.CreateAsync();
        Assert.Null(await harness.Checkpoints.CreateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_SignsTheHead_VerifiesWithThePublicKeyPem()
    {
        await using var harness = await AuditHarness.CreateAsync();
        var records = await harness.AppendManyAsync(5);
        var checkpoint = await harness.Checkpoints.CreateAsync(CancellationToken.None);

        Assert.NotNull(checkpoint);
        Assert.Equal((5, records[^1].Hash), (checkpoint.Sequence, checkpoint.HeadHash));
        using var key = AuditCheckpointKey.ImportPublicKeyPem(harness.Checkpoints.Key.PublicKeyPem);
        Assert.True(checkpoint.IsSignedBy(key));
        Assert.False((checkpoint with { HeadHash = records[0].Hash }).IsSignedBy(key));
        Assert.False((checkpoint with { Time = checkpoint.Time.AddMilliseconds(1) }).IsSignedBy(key));
        Assert.False((checkpoint with { Signature = "AAAA" }).IsSignedBy(key));
        Assert.False((checkpoint with { Signature = "not base64!" }).IsSignedBy(key));
        Assert.Equal(checkpoint, await harness.Checkpoints.GetLatestAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_HeadUnchanged_ReturnsTheSameCheckpoint()
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(3);
        var first = await harness.Checkpoints.CreateAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(first, await harness.Checkpoints.CreateAsync(CancellationToken.None));
        await harness.AppendManyAsync(1);
        var second = await harness.Checkpoints.CreateAsync(CancellationToken.None);
        Assert.Equal(4, second!.Sequence);
        Assert.Equal([3L, 4L], (await harness.Checkpoints.ListAsync(CancellationToken.None)).Select(c => c.Sequence));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Key_CreatedOwnerOnly_AndReusedAfterRestart()
    {
        await using var harness = await AuditHarness.CreateAsync();
        var keyId = harness.Checkpoints.Key.KeyId;
        var path = harness.Options.ResolvedCheckpointKeyPath;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Contains("BEGIN PRIVATE KEY", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        await using var restarted = await harness.ReopenAsync();
        Assert.Equal(keyId, restarted.Checkpoints.Key.KeyId);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Key_ReadableByOthers_Refused()
    {
        await using var harness = await AuditHarness.CreateAsync();
        _ = harness.Checkpoints.Key;
        File.SetUnixFileMode(harness.Options.ResolvedCheckpointKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        await using var restarted = await harness.ReopenAsync();
        Assert.Throws<InvalidOperationException>(() => restarted.Checkpoints.Key);
    }

    [Fact]
    public void ImportPublicKeyPem_NotAKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => AuditCheckpointKey.ImportPublicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
        Assert.Throws<ArgumentException>(() => AuditCheckpointKey.ImportPublicKeyPem("hello"));
    }

    [Fact]
    public async Task CheckpointService_EveryInterval_SignsTheGrownHead()
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(2);
        var options = harness.Options with { CheckpointInterval = TimeSpan.FromMinutes(15) };
        using var service = new AuditCheckpointService(harness.Checkpoints, options, harness.Time, NullLogger<AuditCheckpointService>.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            Assert.Null(await harness.Checkpoints.GetLatestAsync(CancellationToken.None));
            var checkpoint = await AdvanceUntilCheckpointAsync(harness, 2, options.CheckpointInterval);
            Assert.Equal(2, checkpoint.Sequence);
            await harness.AppendManyAsync(3);
            Assert.Equal(5, (await AdvanceUntilCheckpointAsync(harness, 5, options.CheckpointInterval)).Sequence);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Moves the fake clock one interval at a time until the service has signed <paramref name="sequence"/>. The
    /// service may not have armed its timer yet when the clock first moves (it starts asynchronously), so a
    /// single advance could be missed; repeated advances cannot create extra checkpoints, as the head is unchanged.
    /// </summary>
    private static async Task<AuditCheckpoint> AdvanceUntilCheckpointAsync(AuditHarness harness, long sequence, TimeSpan interval)
    {
        for (var round = 0; round < 20; round++)
        {
            harness.Time.Advance(interval);
            for (var i = 0; i < 40; i++)
            {
                if (await harness.Checkpoints.GetLatestAsync(CancellationToken.None) is { } latest && latest.Sequence >= sequence)
                {
                    return latest;
                }

                await Task.Delay(25);
            }
        }

        throw new TimeoutException($"no checkpoint at {sequence}");
    }
}
