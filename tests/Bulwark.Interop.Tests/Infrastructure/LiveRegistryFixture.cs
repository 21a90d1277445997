using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Bulwark.Tests.Shared;

namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>
/// Starts a real registry process on 127.0.0.1 with a fresh temporary data directory, waits until
/// <c>/v2/</c> answers, and stops it and deletes its data at the end.
/// <c>BULWARK_TEST_REGISTRY</c> chooses the implementation: unset or <c>bulwark</c> runs
/// <c>dotnet bulwark.dll serve</c>; <c>distribution</c> runs Debian's <c>docker-registry</c>.
/// </summary>
public sealed class LiveRegistryFixture : IAsyncLifetime, IDisposable
{
    public const string KindVariable = "BULWARK_TEST_REGISTRY";

    /// <summary>The system admin of the Bulwark under test (set through <c>BULWARK_ADMIN_PASSWORD</c>).</summary>
    public const string AdminUser = "admin";
    public const string AdminPassword = "interop-admin-password-2718";

    private const int StartAttempts = 3;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly StringBuilder log = new();
    private Process? process;
    private DirectoryInfo? workDirectory;
    private HttpClient? http;

    public RegistryKind Kind { get; } = ReadKind();

    /// <summary>The <c>host:port</c> the registry listens on, as registry clients spell it.</summary>
    public string HostPort { get; private set; } = "";

    public Uri BaseAddress => new($"http://{HostPort}/");

    /// <summary>A client for the registry's HTTP API; it follows redirects as registry clients do.</summary>
    public HttpClient Http => http ?? throw new InvalidOperationException("the registry is not started");

    /// <summary>The registry's own output so far, to put into assertion messages.</summary>
    public string RecentLog
    {
        get
        {
            lock (log)
            {
                var text = log.ToString();
                return text.Length <= 8_000 ? text : text[^8_000..];
            }
        }
    }

    public async Task InitializeAsync()
    {
        using var startup = new CancellationTokenSource(StartupTimeout * StartAttempts);
        workDirectory = Directory.CreateTempSubdirectory("bulwark-interop-");

        // Choosing a free port and binding it are two steps, so another process can take the port
        // in between; a registry that exits before answering is retried on a new port.
        for (var attempt = 1; ; attempt++)
        {
            HostPort = $"127.0.0.1:{LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}";
            process?.Dispose();
            process = Start(Kind, HostPort, workDirectory.FullName);
            if (await WaitUntilAnsweringAsync(process, startup.Token))
            {
                http = CreateClient(AdminUser, AdminPassword);
                await LoginClientsAsync(startup.Token);
                return;
            }

            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException(
                    $"{Kind} registry did not start on {HostPort} (exit code {process.ExitCode}):\n{RecentLog}");
            }
        }
    }

    /// <summary>Where skopeo, podman and buildah find the admin's credentials (their <c>REGISTRY_AUTH_FILE</c>).</summary>
    public string AuthFile => Path.Combine(workDirectory!.FullName, "auth.json");

    /// <summary>A client for the registry's HTTP API sending HTTP Basic credentials with every request (Distribution, without auth, ignores them).</summary>
    public HttpClient CreateClient(string user, string password)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = BasicAuth.Header(user, password);
        return client;
    }

    /// <summary>Copies one of the <see cref="Clients.TestImages"/> to <c>repository:tag</c> with skopeo; returns the reference and the manifest digest.</summary>
    public async Task<(string Target, string Digest)> PushTestImageAsync(string repository, string tag, string image, CancellationToken cancellationToken)
    {
        var images = await Clients.TestImages.EnsureAsync(cancellationToken);
        var target = $"{HostPort}/{repository}:{tag}";
        (await ToolProcess.RunAsync("skopeo", ["copy", "--quiet", "--dest-tls-verify=false", images.Reference(image), $"docker://{target}"],
            cancellationToken)).AssertSucceeded();
        return (target, images.Layout.ManifestDigest(image));
    }

    /// <summary>
    /// <c>skopeo login</c> as the admin into a private auth file that every registry client started by the
    /// tests reads, as a developer's clients read theirs after <c>podman login</c>.
    /// </summary>
    private async Task LoginClientsAsync(CancellationToken cancellationToken)
    {
        Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", AuthFile);
        if (Kind != RegistryKind.Bulwark)
        {
            return;
        }

        var login = await ToolProcess.RunAsync("skopeo",
            ["login", "--tls-verify=false", "--authfile", AuthFile, "--username", AdminUser, "--password", AdminPassword, HostPort],
            cancellationToken);
        if (!login.Succeeded)
        {
            throw new InvalidOperationException("skopeo login to the registry under test failed\n" + login.Describe() + "\n" + RecentLog);
        }
    }

    /// <summary>Stops the registry and deletes its data (xunit calls this before <see cref="Dispose"/>).</summary>
    public async Task DisposeAsync()
    {
        if (process is not null)
        {
            await StopAsync(process);
        }

        if (workDirectory is not null)
        {
            try
            {
                workDirectory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Leftovers in the temp folder are harmless; a failed cleanup must not fail the run.
            }
        }
    }

    public void Dispose()
    {
        http?.Dispose();
        process?.Dispose();
    }

    private static RegistryKind ReadKind()
    {
        var value = Environment.GetEnvironmentVariable(KindVariable);
        return value?.Trim().ToUpperInvariant() switch
        {
            null or "" or "BULWARK" => RegistryKind.Bulwark,
            "DISTRIBUTION" => RegistryKind.Distribution,
            _ => throw new InvalidOperationException($"{KindVariable}={value}: expected 'bulwark' or 'distribution'"),
        };
    }

    private Process Start(RegistryKind kind, string hostPort, string root)
    {
        var data = Path.Combine(root, $"data-{hostPort.Split(':')[1]}");
        Directory.CreateDirectory(data);
        var startInfo = kind switch
        {
            RegistryKind.Bulwark => BulwarkStartInfo(hostPort, data),
            RegistryKind.Distribution => DistributionStartInfo(hostPort, root, data),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.WorkingDirectory = root;

        var started = new Process { StartInfo = startInfo };
        started.OutputDataReceived += (_, e) => Record(e.Data);
        started.ErrorDataReceived += (_, e) => Record(e.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private static ProcessStartInfo BulwarkStartInfo(string hostPort, string data)
    {
        var assembly = BulwarkExecutable.AssemblyPath;
        var startInfo = new ProcessStartInfo("dotnet");
        startInfo.Environment["BULWARK_ADMIN_PASSWORD"] = AdminPassword;
        foreach (var argument in new[] { assembly, "serve", "--listen", hostPort, "--data", data })
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    private static ProcessStartInfo DistributionStartInfo(string hostPort, string root, string data)
    {
        var config = Path.Combine(root, $"distribution-{hostPort.Split(':')[1]}.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {data}
              delete:
                enabled: true
            http:
              addr: {hostPort}
            """);
        var startInfo = new ProcessStartInfo("/usr/bin/docker-registry");
        startInfo.ArgumentList.Add("serve");
        startInfo.ArgumentList.Add(config);
        return startInfo;
    }

    private async Task<bool> WaitUntilAnsweringAsync(Process started, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupTimeout)
        {
            if (started.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await probe.GetAsync(new Uri(BaseAddress, "v2/"), cancellationToken);
                // 401 also means "up": the spec lets /v2/ demand authentication.
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe itself timed out; try again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        await StopAsync(started);
        throw new TimeoutException($"{Kind} registry on {HostPort} did not answer /v2/ within {StartupTimeout}:\n{RecentLog}");
    }

    private static async Task StopAsync(Process running)
    {
        if (running.HasExited)
        {
            return;
        }

        running.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(StopTimeout);
        await running.WaitForExitAsync(timeout.Token);
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
