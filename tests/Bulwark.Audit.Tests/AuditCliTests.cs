using System.CommandLine;
using Bulwark.Cli.Commands;

namespace Bulwark.Audit.Tests;

/// <summary><c>bulwark audit …</c> run in process against a data directory the harness writes to.</summary>
public sealed class AuditCliTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { AuditCommand.Create() };
        var code = await root.Parse(["audit", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private static string In(AuditHarness harness, string name) => Path.Combine(harness.Directory, name);

    [Fact]
    public async Task ExportThenVerify_RoundTrip_Valid()
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(20);
        var (code, output, _) = await RunAsync("checkpoint", "--data", harness.Directory, "-o", In(harness, "cp.json"), "--public-key-out", In(harness, "pub.pem"));
        Assert.Equal(0, code);
        Assert.Contains("\"sequence\":20", output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("export", "--data", harness.Directory, "-o", In(harness, "all.jsonl"))).Code);
        Assert.Equal(21, (await File.ReadAllLinesAsync(In(harness, "all.jsonl"))).Length);

        (code, output, _) = await RunAsync("verify", "--file", In(harness, "all.jsonl"), "--checkpoint", In(harness, "cp.json"), "--public-key", In(harness, "pub.pem"));
        Assert.True(code == 0, output);
        Assert.Contains("valid: 20 records (1–20)", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("verify", "--data", harness.Directory);
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task ExportRange_VerifiesFromTheExportBeforeIt()
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(10);
        Assert.Equal(0, (await RunAsync("export", "--data", harness.Directory, "--to", "4", "-o", In(harness, "a.jsonl"))).Code);
        Assert.Equal(0, (await RunAsync("export", "--data", harness.Directory, "--from", "5", "--to", "8", "-o", In(harness, "b.jsonl"))).Code);
        Assert.Equal(4, (await File.ReadAllLinesAsync(In(harness, "b.jsonl"))).Length);

        var (code, output, _) = await RunAsync("verify", "--file", In(harness, "b.jsonl"));
        Assert.Equal(0, code);
        Assert.Contains("note: the chain starts at sequence 5 without an anchor", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("verify", "--file", In(harness, "b.jsonl"), "--anchor", In(harness, "a.jsonl"));
        Assert.Equal(0, code);
        Assert.DoesNotContain("note:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFile_EditedLine_Exit1WithReason()
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(5);
        await RunAsync("export", "--data", harness.Directory, "-o", In(harness, "all.jsonl"));
        var lines = await File.ReadAllLinesAsync(In(harness, "all.jsonl"));
        lines[2] = lines[2].Replace("\"success\"", "\"failure\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(In(harness, "all.jsonl"), lines);

        var (code, output, _) = await RunAsync("verify", "--file", In(harness, "all.jsonl"));
        Assert.Equal(1, code);
        Assert.Contains("TAMPERED: Edited at sequence 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyData_TailCutWithSavedCheckpoint_Exit1Truncated()
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(8);
        await RunAsync("checkpoint", "--data", harness.Directory, "-o", In(harness, "cp.json"), "--public-key-out", In(harness, "pub.pem"));
        await harness.ExecuteSqlAsync("DELETE FROM audit_records WHERE Sequence > 5; DELETE FROM audit_checkpoints;");

        Assert.Equal(0, (await RunAsync("verify", "--data", harness.Directory)).Code);
        var (code, output, _) = await RunAsync("verify", "--data", harness.Directory, "--checkpoint", In(harness, "cp.json"), "--public-key", In(harness, "pub.pem"));
        Assert.Equal(1, code);
        Assert.Contains("TAMPERED: Truncated at sequence 6", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyData_ForgedSavedCheckpoint_Exit1()
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(8);
        await RunAsync("checkpoint", "--data", harness.Directory, "-o", In(harness, "cp.json"), "--public-key-out", In(harness, "pub.pem"));
        var forged = (await File.ReadAllTextAsync(In(harness, "cp.json"))).Replace("\"sequence\":8", "\"sequence\":80", StringComparison.Ordinal);
        await File.WriteAllTextAsync(In(harness, "cp.json"), forged);

        var (code, output, _) = await RunAsync("verify", "--data", harness.Directory, "--checkpoint", In(harness, "cp.json"), "--public-key", In(harness, "pub.pem"));
        Assert.Equal(1, code);
        Assert.Contains("TAMPERED: BadCheckpointSignature at sequence 80", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_ArchivesAndBothSidesVerify()
    {
        await using var harness = await AuditHarness.CreateAsync();
        for (var i = 0; i < 6; i++)
        {
            await harness.Log.AppendAsync(AuditHarness.Event(i), CancellationToken.None);
            harness.Time.Advance(TimeSpan.FromDays(1));
        }

        var (code, output, error) = await RunAsync("purge", "--data", harness.Directory, "--before", "2026-01-04", "--archive", In(harness, "archive.jsonl"));
        Assert.True(code == 0, error);
        Assert.Contains("archived and purged 3 records (1–3)", output, StringComparison.Ordinal);
        await File.WriteAllTextAsync(In(harness, "pub.pem"), harness.Checkpoints.Key.PublicKeyPem);

        (code, output, _) = await RunAsync("verify", "--file", In(harness, "archive.jsonl"), "--public-key", In(harness, "pub.pem"));
        Assert.True(code == 0, output);
        Assert.Contains("1 checkpoint(s) matched", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("verify", "--data", harness.Directory, "--anchor", In(harness, "archive.jsonl"));
        Assert.True(code == 0, output);
        Assert.Contains("(4–7)", output, StringComparison.Ordinal);

        // The harness's log still holds the old head in memory; it must chain after the CLI's purge record.
        var next = await harness.Log.AppendAsync(AuditHarness.Event(99), CancellationToken.None);
        Assert.Equal(8, next.Sequence);
        Assert.True((await harness.VerifyAsync()).IsValid);

        (code, _, error) = await RunAsync("purge", "--data", harness.Directory, "--before", "2026-01-05", "--archive", In(harness, "archive.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("archive.jsonl", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_BadArguments_Exit2()
    {
        await using var harness = await AuditHarness.CreateAsync();
        await harness.AppendManyAsync(3);
        await RunAsync("export", "--data", harness.Directory, "-o", In(harness, "all.jsonl"));
        await RunAsync("checkpoint", "--data", harness.Directory, "-o", In(harness, "cp.json"));

        Assert.Equal(2, (await RunAsync("verify", "--file", In(harness, "all.jsonl"), "--data", harness.Directory)).Code);
        Assert.Equal(2, (await RunAsync("verify", "--file", In(harness, "missing.jsonl"))).Code);
        Assert.Equal(2, (await RunAsync("verify", "--file", In(harness, "all.jsonl"), "--checkpoint", In(harness, "cp.json"))).Code);
        Assert.Equal(2, (await RunAsync("verify", "--file", In(harness, "all.jsonl"), "--public-key", In(harness, "all.jsonl"))).Code);
        Assert.Equal(2, (await RunAsync("verify", "--data", In(harness, "no-such-dir"))).Code);
        Assert.Equal(2, (await RunAsync("export", "--data", harness.Directory, "--from", "5", "--to", "3")).Code);
        Assert.Equal(2, (await RunAsync("purge", "--data", harness.Directory, "--before", "someday", "--archive", In(harness, "x.jsonl"))).Code);
        Assert.False(File.Exists(In(harness, "x.jsonl")));
    }
}
