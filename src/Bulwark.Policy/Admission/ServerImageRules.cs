using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Policy.Workloads;

namespace Bulwark.Policy.Admission;

/// <summary>
/// <c>bulwark k8s check --server</c>: asks a Bulwark server's <c>POST /k8s/admission/images</c> for the image rules of
/// every container image in a report — the same verdicts its validating webhook gives — and merges them into the report.
/// </summary>
public static class ServerImageRules
{
    /// <summary>Largest answer read from the server.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    /// <summary>Images per request (the server's limit).</summary>
    public const int BatchSize = 1000;

    /// <summary>The report with each workload's image findings added and the server named in its scope.</summary>
    /// <exception cref="AdmissionReviewException">The server could not be reached or gave an answer that is not one.</exception>
    public static async Task<WorkloadCheckReport> ApplyAsync(WorkloadCheckReport report, HttpClient client, Uri server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        var containers = report.Results.Select(r => AdmissionReviewer.Containers(r.Workload)).ToList();
        var images = containers.SelectMany(c => c).Select(c => c.Image ?? "").Distinct(StringComparer.Ordinal).ToList();
        var findings = new Dictionary<string, IReadOnlyList<AdmissionFinding>>(StringComparer.Ordinal);
        foreach (var batch in images.Chunk(BatchSize))
        {
            foreach (var (image, found) in await AskAsync(client, server, batch, cancellationToken).ConfigureAwait(false))
            {
                findings[image] = found;
            }
        }

        var results = report.Results.Select((result, i) => result with
        {
            ImageFindings = containers[i]
                .SelectMany(c => findings.TryGetValue(c.Image ?? "", out var found) ? found.Select(f => f with { Container = c.Name }) : [])
                .ToList(),
        }).ToList();
        return report with { Results = results, ImageServer = server.GetLeftPart(UriPartial.Authority) };
    }

    private static async Task<Dictionary<string, IReadOnlyList<AdmissionFinding>>> AskAsync(HttpClient client, Uri server, string[] images,
        CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["images"] = new JsonArray(images.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()) };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var url = new Uri(server, server.AbsolutePath.TrimEnd('/') + "/k8s/admission/images");
        JsonNode? answer;
        try
        {
            using var response = await client.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
            var bytes = await ReadLimitedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new AdmissionReviewException($"{url}: {(int)response.StatusCode} {response.ReasonPhrase}: {Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 500)))}");
            }

            answer = JsonNode.Parse(bytes);
        }
        catch (HttpRequestException e)
        {
            throw new AdmissionReviewException($"{url}: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new AdmissionReviewException($"{url}: the answer is not JSON", e);
        }

        var result = new Dictionary<string, IReadOnlyList<AdmissionFinding>>(StringComparer.Ordinal);
        if (answer?["images"] is not JsonArray items || items.Count != images.Length)
        {
            throw new AdmissionReviewException($"{url}: the answer does not list the {images.Length} images asked about");
        }

        for (var i = 0; i < images.Length; i++)
        {
            var found = new List<AdmissionFinding>();
            foreach (var finding in items[i]?["findings"] as JsonArray ?? [])
            {
                var rule = finding?["rule"]?.GetValue<string>() ?? throw new AdmissionReviewException($"{url}: a finding has no rule");
                found.Add(new AdmissionFinding(rule, null, null, images[i], finding["message"]?.GetValue<string>() ?? ""));
            }

            result[images[i]] = found;
        }

        return result;
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    throw new AdmissionReviewException($"the server's answer is larger than {MaxResponseBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
