using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Audit.Records;
using Bulwark.Policy.Admission;
using Bulwark.Server.Auditing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Admission;

/// <summary>
/// The Kubernetes admission webhooks: <c>POST /k8s/admission/validate</c> and <c>/mutate</c> (admission.k8s.io/v1
/// AdmissionReview), and <c>POST /k8s/admission/images</c>, the image rules alone for <c>bulwark k8s check --server</c>.
/// Anonymous, as webhooks usually are: kube-apiserver authenticates the server by its TLS certificate (caBundle), and the
/// answers reveal only allow/deny per image, never content. A malformed or oversized body is a 400 (failurePolicy
/// decides), never an allow.
/// </summary>
public static class AdmissionEndpoints
{
    /// <summary>Most images one <c>/images</c> request may ask about.</summary>
    public const int MaxImagesPerRequest = 1000;

    public static void MapAdmission(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/k8s/admission").AllowAnonymous();
        group.MapPost("/validate", ValidateAsync);
        group.MapPost("/mutate", MutateAsync);
        group.MapPost("/images", ImagesAsync);
    }

    private static async Task<IResult> ValidateAsync(HttpContext context, AdmissionReviewer reviewer, AdmissionMetrics metrics, RequestAuditor auditor,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        AdmissionRequest request;
        AdmissionDecision decision;
        try
        {
            request = AdmissionReviewReader.Read(await ReadBodyAsync(context, reviewer.Options.MaxRequestBytes, cancellationToken), reviewer.Options.MaxRequestBytes);
            decision = await reviewer.ValidateAsync(request, cancellationToken);
        }
        catch (AdmissionReviewException e)
        {
            metrics.Count("validate", "invalid", false, Stopwatch.GetElapsedTime(started).TotalSeconds);
            await auditor.RecordAsync(context, AuditActions.AdmissionReview, null, AuditOutcome.Failure, e.Message, actor: AuditActor.Anonymous);
            return Invalid(e);
        }

        var outcome = decision.Skipped is not null ? "skipped" : !decision.Allowed ? "denied" : decision.Findings.Count > 0 ? "warned" : "allowed";
        metrics.Count("validate", outcome, request.DryRun, Stopwatch.GetElapsedTime(started).TotalSeconds);
        foreach (var finding in decision.Findings)
        {
            metrics.Findings.Add(1, new KeyValuePair<string, object?>("rule", finding.Rule));
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["uid"] = request.Uid,
            ["operation"] = request.Operation,
            ["kind"] = request.Kind.ToString(),
            ["decision"] = outcome,
            ["kubeUser"] = request.Username,
        };
        if (request.DryRun)
        {
            details["dryRun"] = "true";
        }

        if (decision.PodSecurity is not null)
        {
            details["podSecurity"] = decision.PodSecurity;
        }

        var target = $"{decision.Namespace}/{decision.Subject}";
        if (decision.Allowed)
        {
            // Allowed reviews are frequent: queued like token issues, not waited for.
            await auditor.RecordQueuedAsync(context, AuditActions.AdmissionReview, target, AuditOutcome.Success,
                decision.Findings.Count > 0 ? decision.Message : decision.Skipped, details, AuditActor.Anonymous);
        }
        else
        {
            await auditor.RecordAsync(context, AuditActions.AdmissionReview, target, AuditOutcome.Denied,
                string.Join("; ", decision.Findings), details, AuditActor.Anonymous);
        }

        return TypedResults.Bytes(AdmissionReviewWriter.Validation(decision), "application/json");
    }

    private static async Task<IResult> MutateAsync(HttpContext context, AdmissionReviewer reviewer, AdmissionMetrics metrics, RequestAuditor auditor,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        AdmissionRequest request;
        IReadOnlyList<ImagePin> pins;
        try
        {
            request = AdmissionReviewReader.Read(await ReadBodyAsync(context, reviewer.Options.MaxRequestBytes, cancellationToken), reviewer.Options.MaxRequestBytes);
            pins = await reviewer.MutateAsync(request, cancellationToken);
        }
        catch (AdmissionReviewException e)
        {
            metrics.Count("mutate", "invalid", false, Stopwatch.GetElapsedTime(started).TotalSeconds);
            await auditor.RecordAsync(context, AuditActions.AdmissionReview, null, AuditOutcome.Failure, e.Message, actor: AuditActor.Anonymous);
            return Invalid(e);
        }

        metrics.Count("mutate", pins.Count > 0 ? "patched" : "allowed", request.DryRun, Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (pins.Count > 0)
        {
            var ns = request.Namespace.Length > 0 ? request.Namespace : "default";
            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["uid"] = request.Uid,
                ["operation"] = request.Operation,
                ["kind"] = request.Kind.ToString(),
                ["decision"] = "patched",
                ["kubeUser"] = request.Username,
                ["pins"] = string.Join(", ", pins.Select(p => $"{p.Container}={p.PinnedImage}")),
            };
            if (request.DryRun)
            {
                details["dryRun"] = "true";
            }

            await auditor.RecordQueuedAsync(context, AuditActions.AdmissionMutate, $"{ns}/{request.Kind.Kind}/{request.Name}", AuditOutcome.Success,
                null, details, AuditActor.Anonymous);
        }

        return TypedResults.Bytes(AdmissionReviewWriter.Mutation(request.Uid, pins), "application/json");
    }

    // {"images": ["host/repo:tag", …]} → {"images": [{"image", "allowed", "findings": [{"rule", "message"}]}]}
    private static async Task<IResult> ImagesAsync(HttpContext context, AdmissionReviewer reviewer, AdmissionMetrics metrics, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        List<string> images;
        try
        {
            images = ReadImages(await ReadBodyAsync(context, reviewer.Options.MaxRequestBytes, cancellationToken));
        }
        catch (AdmissionReviewException e)
        {
            metrics.Count("images", "invalid", false, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return Invalid(e);
        }

        var buffer = new ArrayBufferWriter<byte>();
        var denied = false;
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("images");
            foreach (var image in images)
            {
                var findings = await reviewer.CheckImageAsync(image, cancellationToken);
                denied |= findings.Count > 0;
                json.WriteStartObject();
                json.WriteString("image", image);
                json.WriteBoolean("allowed", findings.Count == 0);
                json.WriteStartArray("findings");
                foreach (var finding in findings)
                {
                    json.WriteStartObject();
                    json.WriteString("rule", finding.Rule);
                    json.WriteString("message", finding.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        metrics.Count("images", denied ? "denied" : "allowed", false, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return TypedResults.Bytes(buffer.WrittenSpan.ToArray(), "application/json");
    }

    private static List<string> ReadImages(ReadOnlyMemory<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new AdmissionReviewException($"not valid JSON: {e.Message.Split(". ")[0]}", e);
        }

        if (root is not JsonObject o || o["images"] is not JsonArray array)
        {
            throw new AdmissionReviewException("expected {\"images\": [\"registry/repository:tag\", …]}");
        }

        if (array.Count > MaxImagesPerRequest)
        {
            throw new AdmissionReviewException($"more than {MaxImagesPerRequest} images in one request");
        }

        return array.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new AdmissionReviewException("images: every item must be a string"))
            .ToList();
    }

    private static ProblemHttpResult Invalid(AdmissionReviewException e) =>
        TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid admission request");

    // Reads at most limit + 1 bytes whatever Content-Length says, so an oversized or chunked body is refused, not buffered.
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context, int limit, CancellationToken cancellationToken)
    {
        var contentType = context.Request.ContentType;
        if (contentType is not null && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new AdmissionReviewException($"Content-Type must be application/json, not {contentType}");
        }

        if (context.Request.ContentLength > limit)
        {
            throw new AdmissionReviewException($"AdmissionReview body larger than {limit} bytes");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1L;
        }

        var buffer = new byte[Math.Min(limit + 1, context.Request.ContentLength is { } length ? (int)length + 1 : 64 * 1024)];
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        throw new AdmissionReviewException($"AdmissionReview body larger than {limit} bytes");
                    }

                    Array.Resize(ref buffer, (int)Math.Min(limit + 1L, buffer.Length * 2L));
                }

                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (BadHttpRequestException e)
        {
            throw new AdmissionReviewException($"AdmissionReview body could not be read: {e.Message}", e);
        }

        if (total > limit)
        {
            throw new AdmissionReviewException($"AdmissionReview body larger than {limit} bytes");
        }

        return buffer.AsMemory(0, total);
    }
}
