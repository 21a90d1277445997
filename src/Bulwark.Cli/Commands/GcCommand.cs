using System.CommandLine;
using Bulwark.Registry.GarbageCollection;
using Bulwark.Server;
using Bulwark.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark gc</c>: removes unreferenced blobs and, when asked, old untagged manifests.</summary>
internal static class GcCommand
{
    public static Command Create()
    {
        var flags = new ServerOptionFlags();
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be removed without removing it" };
        var untagged = new Option<string?>("--untagged-older-than")
        {
            Description = "Also remove untagged, unreferenced manifests older than this (e.g. 7d, 12h)",
        };
        var grace = new Option<string?>("--grace") { Description = "Never remove blobs touched more recently than this (default 1h)" };
        var command = new Command("gc", "Collect garbage in the registry's storage");
        flags.AddTo(command);
        command.Options.Add(dryRun);
        command.Options.Add(untagged);
        command.Options.Add(grace);
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var options = flags.Load(result);
                if (result.GetValue(untagged) is { } retention)
                {
                    options.Registry.UntaggedManifestRetention = Duration.Parse(retention);
                }

                if (result.GetValue(grace) is { } gracePeriod)
                {
                    options.Registry.GcGracePeriod = Duration.Parse(gracePeriod);
                }

                await using var app = BulwarkServer.Build(options);
                await BulwarkServer.InitializeAsync(app, cancellationToken);
                var report = await app.Services.GetRequiredService<GarbageCollector>().CollectAsync(result.GetValue(dryRun), cancellationToken);
                Print(report);
                return ExitCodes.Success;
            }
            catch (ServerConfigurationException e)
            {
                await Console.Error.WriteLineAsync($"bulwark gc: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private static void Print(GarbageCollectionReport report)
    {
        var verb = report.DryRun ? "would remove" : "removed";
        foreach (var manifest in report.Manifests)
        {
            Console.WriteLine($"manifest {manifest}");
        }

        foreach (var link in report.Links)
        {
            Console.WriteLine($"link     {link}");
        }

        foreach (var blob in report.Blobs)
        {
            Console.WriteLine($"blob     {blob}");
        }

        Console.WriteLine($"{verb} {report.Manifests.Count} manifests, {report.Links.Count} repository links, {report.Blobs.Count} blobs " +
            $"({report.BytesFreed} bytes); expired {report.ExpiredUploads} uploads");
    }
}
