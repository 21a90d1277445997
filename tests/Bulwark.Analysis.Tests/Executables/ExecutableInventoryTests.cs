using System.Security.Cryptography;
using System.Text;
using Bulwark.Analysis.Executables;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;
using static Bulwark.Analysis.Tests.Fixtures.ElfBytes;
using static Bulwark.Analysis.Tests.Fixtures.SyntheticImage;

namespace Bulwark.Analysis.Tests.Executables;

/// <summary>The executable inventory: execute bit plus an ELF or #! header, in the final view, with digests.</summary>
public sealed class ExecutableInventoryTests
{
    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [Fact]
    public async Task ElfAndScripts_WithAnExecuteBit_AreListedWithDigestModeAndKind()
    {
        var elf = Elf(200);
        var script = Encoding.UTF8.GetBytes("#! /usr/bin/env python3\nprint('hi')\n");
        var inventory = await AnalyzeAsync(Create(Tar(t => t
            .File("usr/bin/tool", elf, ExecMode)
            .File("usr/local/bin/run.py", script, (UnixFileMode)0b111_000_000)
            .File("usr/lib/libx.so", Elf(10), PlainMode)                       // ELF without an execute bit
            .File("usr/bin/notes", "just text\n", ExecMode)                 // execute bit, no header
            .File("usr/bin/group-only", Elf(1), (UnixFileMode)0b110_101_100)  // group execute bit counts
            .File("usr/bin/empty", "", ExecMode))));

        Assert.Equal(["usr/bin/group-only", "usr/bin/tool", "usr/local/bin/run.py"], inventory.Executables.Select(e => e.Path));
        var tool = inventory.Executables[1];
        Assert.Equal((ExecutableKind.Elf, 216L, Sha256(elf), "0755", 0, (string?)null), (tool.Kind, tool.Size, tool.Sha256, tool.Mode, tool.LayerIndex, tool.Interpreter));
        var run = inventory.Executables[2];
        Assert.Equal((ExecutableKind.Script, Sha256(script), "0700", "/usr/bin/env python3"), (run.Kind, run.Sha256, run.Mode, run.Interpreter));
    }

    [Fact]
    public async Task LaterLayers_ReplaceAndDeleteExecutables_AsInTheFinalView()
    {
        var replacement = Elf(50, 7);
        var inventory = await AnalyzeAsync(Create(
            Tar(t => t.File("bin/replaced", Elf(), ExecMode).File("bin/deleted", Elf(), ExecMode)
                .File("bin/unset", Elf(), ExecMode).File("opt/app/bin/x", "#!/bin/sh\n", ExecMode).File("bin/kept", "#!/bin/sh\n", ExecMode)),
            Tar(t => t.File("bin/replaced", replacement, ExecMode).Whiteout("bin/deleted")
                .File("bin/unset", Elf(), PlainMode).Opaque("opt/app")),
            Tar(t => t.File("bin/added", "#!/bin/bash\n", ExecMode))));

        Assert.Equal(
            [("bin/added", 2), ("bin/kept", 0), ("bin/replaced", 1)],
            inventory.Executables.Select(e => (e.Path, e.LayerIndex)));
        Assert.Equal(Sha256(replacement), inventory.Executables.Single(e => e.Path == "bin/replaced").Sha256);
    }

    [Fact]
    public async Task HardLinkedExecutable_IsListedUnderEveryName()
    {
        var elf = Elf(30);
        var inventory = await AnalyzeAsync(Create(Tar(t => t.File("usr/bin/perl5.36", elf, ExecMode).Hardlink("usr/bin/perl", "usr/bin/perl5.36"))));

        Assert.Equal(["usr/bin/perl", "usr/bin/perl5.36"], inventory.Executables.Select(e => e.Path));
        Assert.All(inventory.Executables, e => Assert.Equal(Sha256(elf), e.Sha256));
    }

    [Fact]
    public async Task ScriptInterpreter_IsBoundedAndPrintable()
    {
        var script = "#!/bin/sh\u0001" + new string('a', 1000) + "\n";
        var inventory = await AnalyzeAsync(Create(Tar(t => t.File("x", script, ExecMode))));

        var interpreter = Assert.Single(inventory.Executables).Interpreter!;
        Assert.Equal(ExecutableInspector.MaxInterpreterLength, interpreter.Length);
        Assert.StartsWith("/bin/sh?aaa", interpreter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debootstrap_ListsWhatFindListsWithAnElfOrScriptHeader()
    {
        var root = await DebootstrapRootFs.GetAsync();
        var found = await ProcessRunner.RunAsync("find", root, "-type", "f", "-perm", "/111");
        var expected = new List<string>();
        foreach (var file in found.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var head = new byte[4];
            await using (var stream = File.OpenRead(file))
            {
                await stream.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false);
            }

            if (head.AsSpan().StartsWith("\u007fELF"u8) || head.AsSpan().StartsWith("#!"u8))
            {
                expected.Add(Path.GetRelativePath(root, file));
            }
        }

        await using var source = new OciLayoutSource(await DebianTestImage.GetOciLayoutAsync(), DebianTestImage.Tag);
        var inventory = Assert.Single(await new ImageAnalyzer().AnalyzeAsync(source, null, CancellationToken.None));

        Assert.True(expected.Count > 300, $"find listed only {expected.Count} executables");
        Assert.Equal(expected.Order(StringComparer.Ordinal), inventory.Executables.Select(e => e.Path));
        var bash = Assert.Single(inventory.Executables, e => e.Path == "usr/bin/bash");
        Assert.Equal(ExecutableKind.Elf, bash.Kind);
        Assert.Equal(Sha256(await File.ReadAllBytesAsync(Path.Combine(root, "usr/bin/bash"))), bash.Sha256);
        Assert.Contains(inventory.Executables, e => e.Kind is ExecutableKind.Script && e.Interpreter == "/bin/sh");
        Assert.Equal("4755", inventory.Executables.Single(e => e.Path == "usr/bin/su").Mode);
    }
}
