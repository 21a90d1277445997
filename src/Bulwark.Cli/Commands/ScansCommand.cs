using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Bulwark.Cli.Commands.Admin;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark scans list|show|rescan</c>: scan status, severity summaries and findings of images in a running server
/// (the <c>/api/v1/scans</c> API), with the same credentials as <c>bulwark admin</c>.
/// </summary>
internal static class ScansCommand
{
    private static readonly ServerConnection Connection = new("");

    public static Command Create()
    {
        var scans = new Command("scans", "Scan results of images in a running server") { Connection.Server, Connection.Creds };

        var repository = new Option<string?>("--repository") { Description = "Only this repository" };
        var status = new Option<string?>("--status") { Description = "pending, scanning, done or failed" };
        var limit = new Option<int?>("--limit");
        var cursor = new Option<string?>("--cursor");
        var list = new Command("list", "Images with scan status and severity summary") { repository, status, limit, cursor };
        list.SetAction((r, ct) => RunAsync(r, async client =>
        {
            var query = Query(("repository", r.GetValue(repository)), ("status", r.GetValue(status)),
                ("limit", r.GetValue(limit)?.ToString(CultureInfo.InvariantCulture)), ("cursor", r.GetValue(cursor)));
            var (json, code) = await client.GetJsonAsync(HttpMethod.Get, "scans" + query, ct);
            if (json is null)
            {
                return code;
            }

            Console.WriteLine($"{"IMAGE",-72} {"STATUS",-9} {"CRIT",5} {"HIGH",5} {"MED",5} {"LOW",5} {"OTHER",5}");
            foreach (var item in json["items"]!.AsArray())
            {
                Console.WriteLine($"{item!["repository"]}@{Short(item["digest"]!.GetValue<string>()),-72} {item["status"],-9} {SummaryColumns(item["summary"])}");
            }

            if (json["next"] is { } next)
            {
                Console.WriteLine($"more: --cursor {next}");
            }

            return ExitCodes.Success;
        }));

        var image = new Argument<string>("image") { Description = "REPOSITORY:TAG or REPOSITORY@DIGEST" };
        var all = new Option<bool>("--all") { Description = "Include resolved findings" };
        var show = new Command("show", "Status, severity summary and findings of one image") { image, all };
        show.SetAction((r, ct) => RunAsync(r, async client =>
        {
            var target = ImageQuery(r.GetValue(image)!);
            var (scan, code) = await client.GetJsonAsync(HttpMethod.Get, "scans/image" + target, ct);
            if (scan is null)
            {
                return code;
            }

            Console.WriteLine($"{scan["repository"]}@{scan["digest"]}");
            Console.WriteLine($"status:   {scan["status"]} (attempts {scan["attempts"]})");
            if (scan["error"] is { } error)
            {
                Console.WriteLine($"error:    {error}");
            }

            Console.WriteLine($"findings: {SummaryText(scan["summary"])}");
            foreach (var warning in scan["warnings"]?.AsArray() ?? [])
            {
                Console.WriteLine($"warning:  {warning}");
            }

            if (scan["platforms"] is JsonArray platforms)
            {
                foreach (var platform in platforms)
                {
                    Console.WriteLine($"platform: {platform!["digest"]} {platform["status"]} {SummaryText(platform["summary"])}");
                }

                return ExitCodes.Success;
            }

            if (scan["status"]!.GetValue<string>() != "done")
            {
                return ExitCodes.Success;
            }

            string? next = null;
            Console.WriteLine();
            Console.WriteLine($"{"ID",-22} {"SEVERITY",-9} {"PACKAGE",-28} {"INSTALLED",-24} {"FIRST SEEN",-20} REMEDIATION");
            do
            {
                var path = $"scans/image/findings{target}&resolved={(r.GetValue(all) ? "true" : "false")}{(next is null ? "" : "&cursor=" + Uri.EscapeDataString(next))}";
                var (page, pageCode) = await client.GetJsonAsync(HttpMethod.Get, path, ct);
                if (page is null)
                {
                    return pageCode;
                }

                foreach (var finding in page["items"]!.AsArray())
                {
                    var resolved = finding!["resolvedAt"] is null ? "" : " (resolved)";
                    Console.WriteLine($"{finding["id"],-22} {finding["severity"],-9} {finding["package"],-28} {finding["version"],-24} " +
                        $"{finding["firstSeenAt"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),-20} " +
                        $"{finding["detail"]?["remediation"]}{resolved}");
                }

                next = page["next"]?.GetValue<string>();
            }
            while (next is not null);

            return ExitCodes.Success;
        }));

        var rescan = new Command("rescan", "Analyse an image again") { image };
        rescan.SetAction((r, ct) => RunAsync(r, async client =>
        {
            var (json, code) = await client.GetJsonAsync(HttpMethod.Post, "scans/image/rescan" + ImageQuery(r.GetValue(image)!), ct);
            if (json is not null)
            {
                Console.WriteLine($"{json["repository"]}@{json["digest"]}: {json["status"]}");
            }

            return code;
        }));

        scans.Subcommands.Add(list);
        scans.Subcommands.Add(show);
        scans.Subcommands.Add(rescan);
        return scans;
    }

    /// <summary><c>repo:tag</c> or <c>repo@sha256:…</c> as the API's query; a bare repository means <c>latest</c>.</summary>
    internal static string ImageQuery(string image)
    {
        string repository, reference;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            (repository, reference) = (image[..at], image[(at + 1)..]);
        }
        else
        {
            var colon = image.LastIndexOf(':');
            (repository, reference) = colon > image.LastIndexOf('/') && colon > 0 ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
        }

        if (repository.Length == 0 || reference.Length == 0)
        {
            throw new AdminUsageException($"'{image}' is not REPOSITORY:TAG or REPOSITORY@DIGEST");
        }

        return $"?repository={Uri.EscapeDataString(repository)}&reference={Uri.EscapeDataString(reference)}";
    }

    private static async Task<int> RunAsync(ParseResult result, Func<AdminClient, Task<int>> action)
    {
        try
        {
            using var client = Connection.CreateClient(result);
            return await action(client);
        }
        catch (AdminUsageException e)
        {
            await Console.Error.WriteLineAsync($"bulwark scans: {e.Message}");
            return ExitCodes.UsageError;
        }
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;

    private static string SummaryColumns(JsonNode? summary) => summary is null
        ? $"{"-",5} {"-",5} {"-",5} {"-",5} {"-",5}"
        : $"{summary["critical"],5} {summary["high"],5} {summary["medium"],5} {summary["low"],5} {summary["unrated"],5}";

    private static string SummaryText(JsonNode? summary) => summary is null
        ? "not analysed yet"
        : $"{summary["total"]} open ({summary["critical"]} critical, {summary["high"]} high, {summary["medium"]} medium, {summary["low"]} low, {summary["unrated"]} unrated)";

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
