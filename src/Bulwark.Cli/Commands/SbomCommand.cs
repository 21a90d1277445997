using System.CommandLine;
using Bulwark.Analysis;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Sbom;
using Bulwark.Analysis.Sources;
using Bulwark.Oci;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark sbom &lt;source&gt;</c>: analyses an image (registry, OCI layout, docker-archive, root filesystem) and writes
/// its SBOM as CycloneDX 1.6 or SPDX 2.3 JSON to stdout or a file; <c>--attach</c> pushes it to the image's repository
/// as an OCI referrer. Progress goes to stderr when stderr is a terminal; stdout carries only the document.
/// </summary>
internal static class SbomCommand
{
    /// <summary>Replaced by <c>os-arch[-variant]</c> in <c>-o</c> when several platforms are written.</summary>
    public const string PlatformPlaceholder = "{platform}";

    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "Image reference, oci:DIR[:TAG], docker-archive:FILE, dir:DIR, or a path" };
        var format = new Option<string>("--format") { Description = "cyclonedx or spdx", DefaultValueFactory = _ => "cyclonedx" };
        format.AcceptOnlyFromAmong("cyclonedx", "spdx");
        var output = new Option<string?>("--output", "-o") { Description = $"Write to FILE instead of stdout ({PlatformPlaceholder} is replaced by the platform)" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] of a multi-platform image, or all (default linux/amd64)" };
        var creds = new Option<string?>("--creds") { Description = "USER:PASSWORD for the registry (else the auth files)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Use HTTP for a non-loopback registry" };
        var attach = new Option<bool>("--attach") { Description = "Push the SBOM to the image's repository as an OCI referrer of the image manifest" };
        var command = new Command("sbom", "Write the software bill of materials of an image (CycloneDX 1.6 or SPDX 2.3 JSON)")
        {
            source, format, output, platform, creds, plainHttp, attach,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                return await RunAsync(new Request(
                    result.GetValue(source)!,
                    result.GetValue(format) == "spdx" ? SbomFormat.Spdx : SbomFormat.CycloneDx,
                    result.GetValue(output),
                    result.GetValue(platform),
                    result.GetValue(creds),
                    result.GetValue(plainHttp),
                    result.GetValue(attach)), cancellationToken);
            }
            catch (Exception e) when (e is ImageSourceException or HostileImageException or FormatException or SbomUsageException
                or HttpRequestException or IOException or UnauthorizedAccessException)
            {
                var message = e is HttpRequestException ? $"registry unreachable: {e.Message}" : e.Message;
                await Console.Error.WriteLineAsync($"bulwark sbom: {message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private sealed record Request(string Source, SbomFormat Format, string? Output, string? Platform, string? Creds, bool PlainHttp, bool Attach);

    private static async Task<int> RunAsync(Request request, CancellationToken cancellationToken)
    {
        var platforms = request.Platform is null ? PlatformSelection.Default
            : request.Platform == "all" ? PlatformSelection.All : PlatformSelection.Parse(request.Platform);
        var registryOptions = new RegistrySourceOptions
        {
            PlainHttp = request.PlainHttp,
            Credential = request.Creds is null ? null : RegistryCredential.Parse(request.Creds),
        };
        if (SourceDirectories.IsSourceDirectory(request.Source))
        {
            if (request.Attach)
            {
                throw new SbomUsageException("--attach needs an image in a registry, not a local path");
            }

            var directory = await SourceDirectories.AnalyzeAsync(request.Source, cancellationToken);
            var bytes = SbomDocuments.ToUtf8Bytes(directory, request.Format);
            if (request.Output is { } file)
            {
                await File.WriteAllBytesAsync(file.Replace(PlatformPlaceholder, "unknown", StringComparison.Ordinal), bytes, cancellationToken);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(bytes, cancellationToken);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }

            return ExitCodes.Success;
        }

        await using var source = ImageSources.Open(request.Source, registryOptions);
        if (request.Attach && source is not RegistrySource)
        {
            throw new SbomUsageException("--attach needs an image in a registry, not a local path");
        }

        using var progress = Console.IsErrorRedirected ? null : new TerminalProgress();
        var analyzer = new ImageAnalyzer(options: new AnalysisOptions { Progress = progress });
        var inventories = await analyzer.AnalyzeAsync(source, platforms, cancellationToken);
        progress?.Finish();
        if (inventories.Count > 1 && (request.Output is null || !request.Output.Contains(PlatformPlaceholder, StringComparison.Ordinal)))
        {
            throw new SbomUsageException($"the image has {inventories.Count} platforms: pass -o with {PlatformPlaceholder} in the file name "
                + $"(e.g. -o sbom-{PlatformPlaceholder}.json) to write one document each, or choose one with --platform");
        }

        var results = new List<(ImageInventory Inventory, byte[] Document)>();
        foreach (var inventory in inventories)
        {
            var document = SbomDocuments.ToUtf8Bytes(inventory, request.Format);
            results.Add((inventory, document));
            if (request.Output is { } path)
            {
                await File.WriteAllBytesAsync(path.Replace(PlatformPlaceholder, PlatformName(inventory.Platform), StringComparison.Ordinal), document, cancellationToken);
            }
            else if (!request.Attach)
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(document, cancellationToken);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }
        }

        if (request.Attach)
        {
            var reference = ImageReference.Parse(request.Source.StartsWith("docker://", StringComparison.Ordinal) ? request.Source["docker://".Length..] : request.Source);
            using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
            var client = new RegistryClient(http, reference, registryOptions, push: true);
            foreach (var (inventory, document) in results)
            {
                var subject = inventory.ManifestDigest ?? throw new SbomUsageException("the image has no manifest digest to attach to");
                var attached = await SbomReferrer.AttachAsync(client, subject, document, request.Format, TimeProvider.System, cancellationToken);
                // The one line on stdout: what was pushed, so scripts can pick it up.
                Console.WriteLine($"{reference.Registry}/{reference.Repository}@{attached.ManifestDigest} {attached.ArtifactType} -> {attached.SubjectDigest}"
                    + (attached.UsedReferrersTag ? " (referrers tag)" : ""));
            }
        }

        return ExitCodes.Success;
    }

    private static string PlatformName(Platform? platform) => platform is null ? "unknown"
        : string.Join('-', new[] { platform.Os, platform.Architecture, platform.Variant }.OfType<string>());

    /// <summary>A request that cannot be carried out as given (exit code 2).</summary>
    private sealed class SbomUsageException(string message) : Exception(message);

    /// <summary>One status line on stderr, rewritten in place: image, layer, uncompressed bytes read.</summary>
    private sealed class TerminalProgress : IProgress<AnalysisProgress>, IDisposable
    {
        private readonly Lock gate = new();
        private long lastTicks;
        private bool written;

        public void Report(AnalysisProgress value)
        {
            lock (gate)
            {
                var now = Environment.TickCount64;
                if (!value.LayerDone && now - lastTicks < 100)
                {
                    return;
                }

                lastTicks = now;
                var pass = value.Pass > 1 ? " (links)" : "";
                Console.Error.Write($"\r\u001b[Kanalysing image {value.Image + 1}: layer {value.Layer + 1}/{value.LayerCount}{pass}, {value.BytesRead / (1024.0 * 1024.0):F1} MiB read");
                written = true;
            }
        }

        public void Finish()
        {
            lock (gate)
            {
                if (written)
                {
                    Console.Error.Write("\r\u001b[K");
                    written = false;
                }
            }
        }

        public void Dispose() => Finish();
    }
}
