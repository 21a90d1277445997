using System.Diagnostics;

namespace Bulwark.Signing.Tests.Fixtures;

/// <summary>
/// <c>Fixtures/gokeytool/main.go</c> built once with Debian's Go and golang.org/x/crypto (golang-golang-x-crypto-dev)
/// into <c>.cache/</c>: a second, independent implementation of the cosign encrypted key format.
/// </summary>
internal static class GoKeyTool
{
    private const string Version = "1";
    private static readonly Lazy<Task<string>> Binary = new(BuildAsync);

    public static Task<string> PathAsync() => Binary.Value;

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string passphrase, params string[] arguments)
    {
        var start = new ProcessStartInfo(await PathAsync()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BULWARK_KEY_PASSWORD"] = passphrase;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static async Task<string> BuildAsync()
    {
        var directory = Path.Combine(TestPaths.Cache, "signing-gokeytool", Version);
        var binary = Path.Combine(directory, "gokeytool");
        if (File.Exists(binary))
        {
            return binary;
        }

        Directory.CreateDirectory(directory);
        var staging = Path.Combine(directory, $"gokeytool.{Environment.ProcessId}.partial");
        var source = Path.Combine(AppContext.BaseDirectory, "gokeytool", "main.go");
        var start = new ProcessStartInfo("go") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["build", "-o", staging, source])
        {
            start.ArgumentList.Add(argument);
        }

        // GOPATH mode over Debian's packaged sources: no module download, nothing from the network.
        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOPATH"] = "/usr/share/gocode";
        start.Environment["GOCACHE"] = Path.Combine(TestPaths.Cache, "signing-gokeytool", "gocache");
        start.Environment["GOFLAGS"] = "";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build of gokeytool failed (is golang-golang-x-crypto-dev installed?):\n{await error}");
        }

        File.Move(staging, binary, overwrite: true);
        return binary;
    }
}
