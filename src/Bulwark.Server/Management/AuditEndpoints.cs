using System.Globalization;
using System.Text.Json;
using Bulwark.Audit;
using Bulwark.Audit.Records;

namespace Bulwark.Server.Management;

/// <summary>
/// <c>/api/v1/audit</c>: the audit log for system admins. <c>GET records</c> filters by actor, actor kind, action,
/// target, outcome and time range and pages with <c>cursor</c>; each item is the record exactly as
/// <c>bulwark audit export</c> writes it (canonical JSON with its hash), so a client can check the chain itself.
/// <c>GET head</c> returns the newest sequence number and hash.
/// </summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/audit");
        group.MapGet("/records", QueryAsync);
        group.MapGet("/head", async (IAuditLog log, CancellationToken ct) =>
        {
            var head = await log.GetHeadAsync(ct);
            return TypedResults.Ok(new AuditHeadView(head.Sequence, head.Hash));
        });
        return group;
    }

    private static async Task<IResult> QueryAsync(HttpContext context, IAuditLog log, CancellationToken ct)
    {
        var q = context.Request.Query;
        var problems = new List<string>();
        var query = new AuditQuery
        {
            ActorId = Text(q, "actor"),
            Action = Text(q, "action"),
            Target = Text(q, "target"),
            ActorKind = Parse<AuditActorKind>(q, "actorKind", (string v, out AuditActorKind k) => AuditWireNames.TryParseActorKind(v, out k), problems,
                "user, service-principal, token, anonymous or system"),
            Outcome = Parse<AuditOutcome>(q, "outcome", (string v, out AuditOutcome o) => AuditWireNames.TryParseOutcome(v, out o), problems,
                "success, failure or denied"),
            From = Parse<DateTimeOffset>(q, "from", TryParseTime, problems, "an RFC 3339 time such as 2026-01-31T00:00:00Z"),
            To = Parse<DateTimeOffset>(q, "to", TryParseTime, problems, "an RFC 3339 time such as 2026-01-31T00:00:00Z"),
            Cursor = Parse<long>(q, "cursor", (string v, out long c) => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out c), problems,
                "the next value of the previous page"),
            Limit = Parse<int>(q, "limit", (string v, out int l) => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out l) && l > 0,
                problems, "a positive number") ?? 100,
            Order = Parse<AuditOrder>(q, "order", TryParseOrder, problems, "newest or oldest") ?? AuditOrder.NewestFirst,
        };
        if (problems.Count > 0)
        {
            return TypedResults.Problem(detail: "invalid audit query", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["problems"] = problems });
        }

        var page = await log.QueryAsync(query, ct);
        return new AuditPageResult(page);
    }

    private delegate bool TryParser<T>(string value, out T result);

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } value ? value : null;

    private static T? Parse<T>(IQueryCollection query, string name, TryParser<T> parse, List<string> problems, string expected)
        where T : struct
    {
        if (Text(query, name) is not { } value)
        {
            return null;
        }

        if (parse(value, out var result))
        {
            return result;
        }

        problems.Add($"{name}: expected {expected}");
        return null;
    }

    private static bool TryParseTime(string value, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static bool TryParseOrder(string value, out AuditOrder order)
    {
        (var ok, order) = value switch
        {
            "newest" => (true, AuditOrder.NewestFirst),
            "oldest" => (true, AuditOrder.OldestFirst),
            _ => (false, AuditOrder.NewestFirst),
        };
        return ok;
    }

    /// <summary><c>{"items":[record…],"next":"cursor"|null}</c>, each record in its canonical export form.</summary>
    private sealed class AuditPageResult(AuditPage page) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(httpContext.Response.Body);
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var record in page.Records)
            {
                writer.WriteRawValue(AuditCanonicalForm.SerializeWithHash(record), skipInputValidation: true);
            }

            writer.WriteEndArray();
            if (page.NextCursor is { } next)
            {
                writer.WriteString("next", next.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("next");
            }

            writer.WriteEndObject();
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}

/// <summary>The newest record of the audit log (sequence 0 and the genesis hash when it is empty).</summary>
public sealed record AuditHeadView(long Sequence, string Hash);
