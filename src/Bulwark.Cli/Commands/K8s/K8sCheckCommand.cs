using System.CommandLine;
using System.Reflection;
using System.Text;
using Bulwark.Policy.Admission;
using Bulwark.Policy.Kubernetes;
using Bulwark.Policy.Workloads;

namespace Bulwark.Cli.Commands.K8s;

/// <summary>
/// <c>bulwark k8s check &lt;files or dirs…&gt;</c>: reads manifests (multi-document YAML, JSON, <c>kind: List</c>,
/// Helm-rendered output; directories are searched for *.yaml, *.yml and *.json) and judges every pod and pod template
/// against the Pod Security Standards. Exit 0 when all are allowed, 1 when one is denied, 2 for bad input.
/// Without a server only workload security is checked; the output says so.
/// </summary>
internal static class K8sCheckCommand
{
    /// <summary>Most manifest files one invocation reads.</summary>
    public const int MaxFiles = 10_000;

    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    public static Command Create()
    {
        var paths = new Argument<string[]>("manifests") { Description = "Manifest files or directories", Arity = ArgumentArity.OneOrMore };
        var level = new Option<string>("--level") { Description = "Pod Security level where no Namespace label sets one: baseline or restricted", DefaultValueFactory = _ => "restricted" };
        level.AcceptOnlyFromAmong("baseline", "restricted");
        var version = new Option<string>("--k8s-version") { Description = "Kubernetes version of the standards: v1.N or latest", DefaultValueFactory = _ => "latest" };
        var format = new Option<string>("--format") { Description = "table, json or sarif", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to FILE instead of stdout" };
        var exemptNamespaces = new Option<string[]>("--exempt-namespace") { Description = "Namespace whose pods are not evaluated (repeatable)", AllowMultipleArgumentsPerToken = false };
        var exemptUsers = new Option<string[]>("--exempt-username") { Description = "Exempt identity, e.g. system:serviceaccount:NS:NAME, matched against the pod's service account (repeatable)" };
        var exemptRuntimeClasses = new Option<string[]>("--exempt-runtime-class") { Description = "runtimeClassName whose pods are not evaluated (repeatable)" };
        var server = new Option<string?>("--server") { Description = "Bulwark server URL: also apply its image rules (allowed registries, resolvable, scan policy, signature)" };
        var creds = new Option<string?>("--creds") { Description = "USER:PASSWORD for --server (the image rules route also answers anonymous callers)" };
        var command = new Command("check", "Check Kubernetes manifests against the Pod Security Standards, and with --server the image rules")
        {
            paths, level, version, format, output, exemptNamespaces, exemptUsers, exemptRuntimeClasses, server, creds,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                if (!PodSecurityVersion.TryParse(result.GetValue(version), out var parsedVersion))
                {
                    throw new ManifestException($"--k8s-version {result.GetValue(version)}: must be \"latest\" or \"v1.N\"");
                }

                var parsedLevel = result.GetValue(level) == "baseline" ? PodSecurityLevel.Baseline : PodSecurityLevel.Restricted;
                var options = new WorkloadCheckOptions
                {
                    Level = parsedLevel,
                    Version = parsedVersion,
                    Exemptions = new PodSecurityExemptions
                    {
                        Namespaces = result.GetValue(exemptNamespaces) ?? [],
                        Usernames = result.GetValue(exemptUsers) ?? [],
                        RuntimeClasses = result.GetValue(exemptRuntimeClasses) ?? [],
                    },
                };
                Uri? serverUri = null;
                if (result.GetValue(server) is { } serverText
                    && (!Uri.TryCreate(serverText, UriKind.Absolute, out serverUri) || serverUri.Scheme is not ("https" or "http")))
                {
                    throw new ManifestException($"--server {serverText}: must be an http(s):// URL");
                }

                return await RunAsync(result.GetValue(paths)!, options, result.GetValue(format)!, result.GetValue(output), serverUri, result.GetValue(creds),
                    cancellationToken);
            }
            catch (Exception e) when (e is ManifestException or IOException or UnauthorizedAccessException or AdmissionReviewException)
            {
                await Console.Error.WriteLineAsync($"bulwark k8s check: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, WorkloadCheckOptions options, string format, string? output, Uri? server, string? creds,
        CancellationToken cancellationToken)
    {
        var objects = new List<KubernetesObject>();
        foreach (var file in ManifestFiles(paths))
        {
            objects.AddRange(await ManifestReader.ReadFileAsync(file, ManifestLimits.Default, cancellationToken));
        }

        var report = WorkloadChecker.Check(objects, options);
        if (server is not null)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            if (creds is not null)
            {
                if (!creds.Contains(':', StringComparison.Ordinal))
                {
                    throw new ManifestException("--creds must be USER:PASSWORD");
                }

                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(creds)));
            }

            report = await ServerImageRules.ApplyAsync(report, client, server, cancellationToken);
        }

        using var buffer = new MemoryStream();
        switch (format)
        {
            case "json":
                await WorkloadReportWriter.WriteJsonAsync(report, buffer, cancellationToken);
                break;
            case "sarif":
                await WorkloadReportWriter.WriteSarifAsync(report, buffer, ToolVersion, cancellationToken);
                break;
            default:
                var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true);
                await using (writer)
                {
                    await WorkloadReportWriter.WriteTableAsync(report, writer, cancellationToken);
                }

                break;
        }

        if (output is not null)
        {
            await File.WriteAllBytesAsync(output, buffer.ToArray(), cancellationToken);
            await Console.Error.WriteLineAsync($"bulwark k8s check: {report.Scope}; {report.DeniedCount} of {report.Results.Count} workloads denied");
        }
        else
        {
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(buffer.ToArray(), cancellationToken);
            if (format != "table")
            {
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }
        }

        return report.AllAllowed ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    // Files named on the command line are read whatever their extension; directories are searched recursively for
    // manifest extensions, in ordinal order, without following symbolic links (no loops, no escaping the tree).
    private static List<string> ManifestFiles(string[] paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", new EnumerationOptions
                {
                    RecurseSubdirectories = true,
                    AttributesToSkip = FileAttributes.ReparsePoint,
                    IgnoreInaccessible = false,
                    MatchType = MatchType.Simple,
                })
                    .Where(f => ManifestExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .Take(MaxFiles + 1)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new ManifestException($"{path}: no *.yaml, *.yml or *.json files in the directory");
                }

                files.AddRange(found);
            }
            else
            {
                throw new ManifestException($"{path}: no such file or directory");
            }

            if (files.Count > MaxFiles)
            {
                throw new ManifestException($"more than {MaxFiles} manifest files");
            }
        }

        return files;
    }

    private static string ToolVersion { get; } =
        typeof(K8sCheckCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
