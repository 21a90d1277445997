using System.Text;
using Bulwark.Audit.Export;
using Bulwark.Audit.Verification;

namespace Bulwark.Audit.Tests;

/// <summary>Edits to an exported file, and the export/read round trip.</summary>
public sealed class ExportTamperingTests
{
    private static async Task<(string[] Lines, AuditVerificationOptions Options)> ExportAsync(int count, bool withCheckpoint = false)
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(count);
        var checkpoints = withCheckpoint ? [(await harness.Checkpoints.CreateAsync(CancellationToken.None))!] : Array.Empty<Checkpoints.AuditCheckpoint>();
        using var stream = new MemoryStream();
        await AuditExportFormat.WriteAsync(stream, harness.Log.ReadAsync(null, null, CancellationToken.None), checkpoints, CancellationToken.None);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines, new AuditVerificationOptions { PublicKey = harness.Checkpoints.Key.PublicKey() });
    }

    private static async Task<AuditVerificationResult> VerifyAsync(IEnumerable<string> lines, AuditVerificationOptions options)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        return await AuditChainVerifier.VerifyExportAsync(() => new MemoryStream(bytes), options, CancellationToken.None);
    }

    private static void AssertFinding(AuditVerificationResult result, AuditTamperKind kind, long? sequence)
    {
        Assert.False(result.IsValid);
        Assert.True(kind == result.Finding!.Kind && sequence == result.Finding.Sequence, result.Finding.ToString());
    }

    [Fact]
    public async Task Export_Lines_AreCanonicalWithHashAndCheckpointLast()
    {
        var (lines, options) = await ExportAsync(3, withCheckpoint: true);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("{\"action\":\"registry.push\",\"actor\":{\"id\":\"alice\",\"kind\":\"user\"},", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"checkpoint\":{\"sequence\":3,", lines[3], StringComparison.Ordinal);
        var result = await VerifyAsync(lines, options);
        Assert.True(result.IsValid, result.Finding?.ToString());
        Assert.Equal((3, 1), (result.Records, result.CheckpointsMatched));
    }

    [Fact]
    public async Task Verify_LineEdited_Edited()
    {
        var (lines, options) = await ExportAsync(6);
        lines[2] = lines[2].Replace("\"alice\"", "\"alicf\"", StringComparison.Ordinal);
        AssertFinding(await VerifyAsync(lines, options), AuditTamperKind.Edited, 3);
    }

    [Fact]
    public async Task Verify_LineDeleted_Deleted()
    {
        var (lines, options) = await ExportAsync(6);
        AssertFinding(await VerifyAsync(lines.Where((_, i) => i != 3), options), AuditTamperKind.Deleted, 4);
    }

    [Fact]
    public async Task Verify_LinesSwapped_Reordered()
    {
        var (lines, options) = await ExportAsync(6);
        (lines[2], lines[3]) = (lines[3], lines[2]);
        AssertFinding(await VerifyAsync(lines, options), AuditTamperKind.Reordered, 4);
    }

    [Fact]
    public async Task Verify_LineDuplicated_Inserted()
    {
        var (lines, options) = await ExportAsync(6);
        AssertFinding(await VerifyAsync(lines.Take(3).Append(lines[2]).Concat(lines.Skip(3)), options), AuditTamperKind.Inserted, 3);
    }

    [Fact]
    public async Task Verify_TailLinesRemovedCheckpointKept_Truncated()
    {
        var (lines, options) = await ExportAsync(6, withCheckpoint: true);
        AssertFinding(await VerifyAsync(lines.Take(4).Append(lines[^1]), options), AuditTamperKind.Truncated, 5);
    }

    [Fact]
    public async Task Verify_CheckpointLineAltered_BadCheckpointSignature()
    {
        var (lines, options) = await ExportAsync(6, withCheckpoint: true);
        lines[^1] = lines[^1].Replace("\"sequence\":6", "\"sequence\":4", StringComparison.Ordinal);
        AssertFinding(await VerifyAsync(lines, options), AuditTamperKind.BadCheckpointSignature, 4);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"action\":\"registry.push\"}")]
    [InlineData("{\"unknown\":1}")]
    public async Task Verify_MalformedLine_Malformed(string line)
    {
        var (lines, options) = await ExportAsync(3);
        var result = await VerifyAsync(lines.Take(2).Append(line), options);
        Assert.False(result.IsValid);
        Assert.Equal(AuditTamperKind.Malformed, result.Finding!.Kind);
        Assert.Equal(2, result.Records);
    }

    [Fact]
    public async Task Verify_DuplicateMember_Refused()
    {
        var (lines, options) = await ExportAsync(2);
        lines[1] = lines[1].Replace("{\"action\":", "{\"reason\":\"x\",\"action\":", StringComparison.Ordinal);
        var result = await VerifyAsync(lines, options);
        Assert.False(result.IsValid);
        Assert.True(result.Finding!.Kind == AuditTamperKind.Malformed, result.Finding.ToString());
    }
}
