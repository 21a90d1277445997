using System.CommandLine;
using System.Reflection;
using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Sources;
using Bulwark.Cli.Commands.Db;
using Bulwark.Vulnerabilities.Reports;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Cli.Commands.Scan;

/// <summary>
/// <c>bulwark scan &lt;source&gt;</c>: analyses an image (registry reference, OCI layout, docker-archive, root filesystem
/// directory), matches it against the local advisory database and writes a table, JSON, SARIF or CycloneDX report.
/// Exit 0, or <c>--exit-code</c> when vulnerabilities, secrets or configuration findings remain after the filters (or
/// the database is empty); 2 for usage or input errors.
/// </summary>
internal static class ScanCommand
{
    public const string DefaultIgnoreFile = ".bulwarkignore";

    public static readonly TimeSpan MaxDatabaseAge = TimeSpan.FromHours(24);

    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "Image reference, oci:DIR[:TAG], docker-archive:FILE, dir:DIR, or a path" };
        var format = new Option<string>("--format", "-f") { Description = "table, json, sarif or cyclonedx (an SBOM with vulnerabilities)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "sarif", "cyclonedx");
        var outputFile = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of stdout" };
        var severity = new Option<string?>("--severity") { Description = "Severities to report, comma-separated: UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL (default: all)" };
        var ignoreUnfixed = new Option<bool>("--ignore-unfixed") { Description = "Leave out findings that have no fixed version" };
        var exitCode = new Option<int>("--exit-code") { Description = "Exit with this code when vulnerabilities, secrets or configuration findings remain after the filters (default 0)", DefaultValueFactory = _ => 0 };
        var ignoreFile = new Option<string?>("--ignorefile") { Description = $"Ignore file (YAML list of id/reason/expires…; default: {DefaultIgnoreFile} in the current directory if present)" };
        var skipUpdate = new Option<bool>("--skip-db-update") { Description = "Do not update the advisory database, even when it is older than 24 hours (offline use)" };
        var db = DbCommand.DatabaseOption();
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] of a multi-platform image (default linux/amd64)" };
        var creds = new Option<string?>("--creds") { Description = "USER:PASSWORD for the registry (else REGISTRY_AUTH_FILE, containers auth.json, docker config.json)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Use HTTP, not HTTPS, for a registry that is not on a loopback address" };
        var command = new Command("scan", "Scan an image or directory for vulnerable packages")
        {
            source, format, outputFile, severity, ignoreUnfixed, exitCode, ignoreFile, skipUpdate, db, platform, creds, plainHttp,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var options = new ScanInvocation
            {
                Source = result.GetRequiredValue(source),
                Format = result.GetValue(format) ?? "table",
                OutputFile = result.GetValue(outputFile),
                Severity = result.GetValue(severity),
                IgnoreUnfixed = result.GetValue(ignoreUnfixed),
                ExitCode = result.GetValue(exitCode),
                IgnoreFile = result.GetValue(ignoreFile),
                SkipDatabaseUpdate = result.GetValue(skipUpdate),
                Database = result.GetValue(db),
                Platform = result.GetValue(platform),
                Credentials = result.GetValue(creds),
                PlainHttp = result.GetValue(plainHttp),
            };
            return await RunAsync(options, result.InvocationConfiguration.Output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ScanInvocation options, TextWriter stdout, TextWriter error, CancellationToken cancellationToken)
    {
        async Task<int> Usage(string message)
        {
            await error.WriteLineAsync($"bulwark scan: {message}");
            return ExitCodes.UsageError;
        }

        if (options.ExitCode is < 0 or > 255)
        {
            return await Usage("--exit-code must be between 0 and 255");
        }

        ScanReportFilter filter;
        PlatformSelection platforms;
        RegistrySourceOptions registry;
        try
        {
            var ignorePath = options.IgnoreFile ?? (File.Exists(DefaultIgnoreFile) ? DefaultIgnoreFile : null);
            if (options.IgnoreFile is not null && !File.Exists(options.IgnoreFile))
            {
                return await Usage($"the ignore file {options.IgnoreFile} does not exist");
            }

            filter = new ScanReportFilter
            {
                Severities = options.Severity is null ? null : ScanReportFilter.ParseSeverities(options.Severity),
                IgnoreUnfixed = options.IgnoreUnfixed,
                Ignores = ignorePath is null ? [] : await IgnoreFile.ReadAsync(ignorePath, cancellationToken),
                IgnoreFile = ignorePath is null ? null : Path.GetFullPath(ignorePath),
            };
            platforms = options.Platform is null ? PlatformSelection.Default : PlatformSelection.Parse(options.Platform);
            registry = new RegistrySourceOptions
            {
                PlainHttp = options.PlainHttp,
                Credential = options.Credentials is null ? null : RegistryCredential.Parse(options.Credentials),
            };
        }
        catch (Exception e) when (e is FormatException or IgnoreFileException or ArgumentException or IOException)
        {
            return await Usage(e.Message);
        }

        if (platforms.IsAll)
        {
            return await Usage("scan one platform at a time (--platform os/arch)");
        }

        await using var advisories = await OpenAdvisoriesAsync(options, error, cancellationToken);

        Analysis.Inventory.ImageInventory inventory;
        try
        {
            if (SourceDirectories.IsSourceDirectory(options.Source))
            {
                inventory = await SourceDirectories.AnalyzeAsync(options.Source, cancellationToken);
            }
            else
            {
                await using var image = ImageSources.Open(options.Source, registry);
                var inventories = await new ImageAnalyzer().AnalyzeAsync(image, platforms, cancellationToken);
                if (inventories.Count != 1)
                {
                    return await Usage($"{options.Source} has {inventories.Count} images for {platforms}; choose one with --platform");
                }

                inventory = inventories[0];
            }
        }
        catch (Exception e) when (e is ImageSourceException or HostileImageException or IOException or UnauthorizedAccessException
            or HttpRequestException or InvalidDataException or FormatException)
        {
            await error.WriteLineAsync($"bulwark scan: cannot analyse {options.Source}: {e.Message}");
            return ExitCodes.UsageError;
        }

        var scan = await new InventoryScanner(advisories, TimeProvider.System, new InventoryScannerOptions { MaxDatabaseAge = MaxDatabaseAge })
            .ScanAsync(inventory, cancellationToken);
        var report = ScanReport.Create(scan, filter, DateOnly.FromDateTime(DateTime.UtcNow), ToolVersion);

        foreach (var rule in report.ExpiredIgnores)
        {
            await error.WriteLineAsync($"bulwark scan: WARNING: ignore entry at line {rule.Line} for {rule.Id} expired on {rule.Expires:yyyy-MM-dd}; it no longer applies");
        }

        if (scan.Database.IsEmpty || scan.Database.IsStale)
        {
            // Also on stderr, so a JSON or SARIF report to stdout or a file does not keep it from the person at the terminal.
            await error.WriteLineAsync($"bulwark scan: WARNING: {scan.Warnings[0].Message}");
        }

        try
        {
            await WriteReportAsync(report, inventory, options, stdout, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await Usage($"cannot write {options.OutputFile}: {e.Message}");
        }

        return report.TripsGate && options.ExitCode != 0 ? options.ExitCode : ExitCodes.Success;
    }

    /// <summary>
    /// The advisory database to match against, read with plain SQLite commands. EF Core (<see cref="AdvisoryDatabaseFile"/>)
    /// is started only when the database must be created first or, without <c>--skip-db-update</c>, updated because it is stale.
    /// </summary>
    private static async Task<AdvisoryDatabaseReader> OpenAdvisoriesAsync(ScanInvocation options, TextWriter error, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(options.Database ?? AdvisoryDatabaseFile.DefaultPath());
        var reader = await AdvisoryDatabaseReader.OpenAsync(path, TimeProvider.System, cancellationToken);
        if (reader is not null && (options.SkipDatabaseUpdate || !(await reader.GetStatusAsync(MaxDatabaseAge, cancellationToken)).IsStale))
        {
            return reader;
        }

        if (reader is not null)
        {
            await reader.DisposeAsync();
        }

        await using (var database = (await AdvisoryDatabaseFile.OpenAsync(path, create: true, cancellationToken))!)
        {
            if (!options.SkipDatabaseUpdate)
            {
                await UpdateIfStaleAsync(database, error, cancellationToken);
            }
        }

        return await AdvisoryDatabaseReader.OpenAsync(path, TimeProvider.System, cancellationToken)
            ?? throw new InvalidOperationException($"the advisory database {path} has no advisory tables after it was created");
    }

    private static async Task UpdateIfStaleAsync(AdvisoryDatabaseFile database, TextWriter error, CancellationToken cancellationToken)
    {
        var status = await database.Store.GetStatusAsync(MaxDatabaseAge, cancellationToken);
        if (!status.IsStale)
        {
            return;
        }

        // Re-import what this database was filled from; a database never filled gets the public feeds.
        var stored = status.Sources.Select(s => AdvisorySourceSpec.FromStored(s.Name, s.Url)).OfType<AdvisorySourceSpec>().ToList();
        var sources = stored.Count > 0 ? stored : AdvisorySourceSpec.Defaults();
        await error.WriteLineAsync(status.IsEmpty
            ? $"bulwark scan: the advisory database {database.Path} is empty; updating it from {sources.Count} sources"
            : $"bulwark scan: the advisory database is older than {InventoryScanner.Describe(MaxDatabaseAge)}; updating {sources.Count} sources");
        using var http = DbUpdateCommand.CreateHttpClient();
        var failures = await new AdvisoryDatabaseUpdater(database, http, error, error, ImportProgressDisplay.IsTerminal).UpdateAsync(sources, cancellationToken);
        if (failures.Count > 0)
        {
            await error.WriteLineAsync($"bulwark scan: WARNING: the advisory database update FAILED for {failures.Count} of {sources.Count} sources; "
                + "scanning with the existing database (see the report for its age)");
        }
    }

    private static async Task WriteReportAsync(ScanReport report, Analysis.Inventory.ImageInventory inventory, ScanInvocation options, TextWriter stdout,
        CancellationToken cancellationToken)
    {
        if (options.OutputFile is null && options.Format == "table")
        {
            var color = !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
            await TableReportWriter.WriteAsync(report, stdout, color, cancellationToken);
            return;
        }

        using var buffer = new MemoryStream();
        switch (options.Format)
        {
            case "json":
                await JsonReportWriter.WriteAsync(report, buffer, cancellationToken);
                break;
            case "sarif":
                await SarifReportWriter.WriteAsync(report, buffer, cancellationToken);
                break;
            case "cyclonedx":
                await CycloneDxReportWriter.WriteAsync(report, inventory, buffer, new Analysis.Sbom.SbomOptions { ToolVersion = ToolVersion }, cancellationToken);
                break;
            default:
                await using (var writer = new StreamWriter(buffer, leaveOpen: true))
                {
                    await TableReportWriter.WriteAsync(report, writer, color: false, cancellationToken);
                }

                break;
        }

        if (options.OutputFile is { } path)
        {
            await File.WriteAllBytesAsync(path, buffer.ToArray(), cancellationToken);
        }
        else
        {
            await stdout.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            await stdout.FlushAsync(cancellationToken);
        }
    }

    private static string ToolVersion { get; } =
        typeof(ScanCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
