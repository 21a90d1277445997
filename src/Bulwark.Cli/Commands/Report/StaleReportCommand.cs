using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Oci;

namespace Bulwark.Cli.Commands.Report;

/// <summary>
/// <c>bulwark report stale --days N &lt;registry&gt;[/repo-prefix]</c>: lists images built more than N days ago and
/// images whose base image tag now has another digest. Exit 0 (a report), 2 on bad input or an unreachable registry.
/// </summary>
internal static class StaleReportCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("registry[/repo-prefix]") { Description = "The registry (host[:port]) and optionally a repository prefix" };
        var days = new Option<int>("--days") { Description = "Images built more than this many days ago are stale", Required = true };
        var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var creds = new Option<string?>("--creds") { Description = "USER:PASSWORD for the registry (else the auth files)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Use HTTP, not HTTPS, for a registry that is not on a loopback address" };
        var command = new Command("stale", "List images not rebuilt in N days or whose base image has a newer digest") { target, days, format, creds, plainHttp };
        command.SetAction(async (result, cancellationToken) =>
        {
            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            var text = result.GetRequiredValue(target);
            var limit = result.GetValue(days);
            if (limit is < 1 or > 36_500)
            {
                await stderr.WriteLineAsync("bulwark report stale: --days must be between 1 and 36500");
                return ExitCodes.UsageError;
            }

            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var registry = slash < 0 ? text : text[..slash];
            var prefix = slash < 0 ? "" : text[(slash + 1)..].TrimEnd('/');
            if (!Bulwark.Policy.Images.RegistryHost.IsValid(registry) || (prefix.Length > 0 && !RepositoryName.IsValid(prefix)))
            {
                await stderr.WriteLineAsync($"bulwark report stale: '{text}' is not a registry host[:port] with an optional repository prefix");
                return ExitCodes.UsageError;
            }

            try
            {
                var options = new RegistrySourceOptions
                {
                    PlainHttp = result.GetValue(plainHttp),
                    Credential = result.GetValue(creds) is { } c ? RegistryCredential.Parse(c) : null,
                };
                using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
                var finder = new StaleImageFinder(http, options, TimeProvider.System);
                var stale = await finder.FindAsync(registry, prefix, limit, cancellationToken);
                if (result.GetValue(format) == "json")
                {
                    await WriteJsonAsync(stdout, registry, prefix, limit, finder, stale);
                }
                else
                {
                    foreach (var problem in finder.Problems)
                    {
                        await stderr.WriteLineAsync($"bulwark report stale: WARNING: {problem}");
                    }

                    await WriteTextAsync(stdout, registry, prefix, limit, finder, stale);
                }

                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ImageSourceException or HostileImageException or FormatException)
            {
                await stderr.WriteLineAsync($"bulwark report stale: {e.Message}");
                return ExitCodes.UsageError;
            }
            catch (HttpRequestException e)
            {
                await stderr.WriteLineAsync($"bulwark report stale: registry unreachable: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private static string Built(StaleImage image) => image.Created is { } created
        ? string.Create(CultureInfo.InvariantCulture, $"built {created.UtcDateTime:yyyy-MM-dd} ({image.AgeDays} days ago)")
        : "no build time in its config";

    private static async Task WriteTextAsync(TextWriter output, string registry, string prefix, int days, StaleImageFinder finder, IReadOnlyList<StaleImage> stale)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Registry: {registry}{(prefix.Length > 0 ? "/" + prefix : "")}  images checked: {finder.Checked}  older than: {days} days"));
        foreach (var image in stale)
        {
            var name = $"{registry}/{image.Repository}:{image.Tag}";
            if (image.TooOld)
            {
                await output.WriteLineAsync($"STALE     {name} {image.Digest}: {Built(image)}");
            }

            if (image.BaseUpdated)
            {
                await output.WriteLineAsync($"NEW-BASE  {name} {image.Digest}: base {image.BaseName} is now {image.CurrentBaseDigest} (built on {image.BuiltOnDigest})");
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{stale.Count(i => i.TooOld)} image(s) older than {days} days, {stale.Count(i => i.BaseUpdated)} with a newer base image"));
    }

    private static async Task WriteJsonAsync(TextWriter output, string registry, string prefix, int days, StaleImageFinder finder, IReadOnlyList<StaleImage> stale)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("registry", registry);
            json.WriteString("prefix", prefix);
            json.WriteNumber("days", days);
            json.WriteNumber("checked", finder.Checked);
            json.WriteStartArray("images");
            foreach (var image in stale)
            {
                json.WriteStartObject();
                json.WriteString("repository", image.Repository);
                json.WriteString("tag", image.Tag);
                json.WriteString("digest", image.Digest);
                if (image.Created is { } created)
                {
                    json.WriteString("created", created);
                    json.WriteNumber("ageDays", image.AgeDays ?? 0);
                }
                else
                {
                    json.WriteNull("created");
                    json.WriteNull("ageDays");
                }

                json.WriteBoolean("stale", image.TooOld);
                json.WriteBoolean("baseUpdated", image.BaseUpdated);
                json.WriteString("baseName", image.BaseName);
                json.WriteString("builtOnDigest", image.BuiltOnDigest);
                json.WriteString("currentBaseDigest", image.CurrentBaseDigest);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("problems");
            foreach (var problem in finder.Problems)
            {
                json.WriteStringValue(problem);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
