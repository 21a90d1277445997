using System.Text;
using Bulwark.Identity.Management;
using Bulwark.Server.Auditing;
using Bulwark.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Policy;

/// <summary>
/// <c>/api/v1/policies</c> (system admins): store a policy document (YAML body) as a new version, list policies,
/// read one version. A document with errors is refused with <c>400</c> and every error in <c>errors</c>; the policy in
/// force is unchanged. Each stored version is audited as <c>policy.update</c> with its version and content hash.
/// </summary>
public static class PolicyEndpoints
{
    public static RouteGroupBuilder MapPolicies(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/policies");
        group.MapGet("", async Task<Ok<Page<PolicyVersionView>>> (int? limit, string? cursor, PolicyStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ListAsync(limit, cursor, ct)));
        group.MapGet("/{name}", async Task<Results<Ok<PolicyVersionView>, ProblemHttpResult>> (string name, int? version, PolicyStore store,
            CancellationToken ct) =>
            await store.GetAsync(name, version, ct) is { } found
                ? TypedResults.Ok(found)
                : TypedResults.Problem(detail: version is null ? $"no policy named '{name}'" : $"policy '{name}' has no version {version}",
                    statusCode: StatusCodes.Status404NotFound));
        group.MapGet("/{name}/versions", async Task<Results<Ok<IReadOnlyList<PolicyVersionView>>, ProblemHttpResult>> (string name, PolicyStore store,
            CancellationToken ct) =>
            await store.VersionsAsync(name, ct) is { Count: > 0 } versions
                ? TypedResults.Ok(versions)
                : TypedResults.Problem(detail: $"no policy named '{name}'", statusCode: StatusCodes.Status404NotFound));
        group.MapPut("/{name}", async Task<Results<Ok<PolicyVersionView>, Created<PolicyVersionView>, ProblemHttpResult>> (string name,
            HttpContext context, PolicyStore store, PolicyReevaluation reevaluation, CancellationToken ct) =>
        {
            var content = await ReadBodyAsync(context.Request, ct);
            if (content is null)
            {
                return Invalid([$"the policy document is larger than {PolicyStore.MaxDocumentBytes} bytes"]);
            }

            var actor = CallerFeature.Get(context).Principal.Name;
            try
            {
                var (stored, created) = await store.PutAsync(name, content, actor, ct);
                AuditDetails.Add(context, "version", stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
                AuditDetails.Add(context, "contentHash", "sha256:" + stored.ContentHash);
                AuditDetails.Add(context, "created", created ? "true" : "false");
                if (!created)
                {
                    return TypedResults.Ok(stored);
                }

                reevaluation.RequestAll();
                return TypedResults.Created($"{Management.ManagementApi.Prefix}/policies/{name}", stored);
            }
            catch (PolicyDocumentException e)
            {
                return Invalid(e.Errors);
            }
        });
        return group;
    }

    private static ProblemHttpResult Invalid(IReadOnlyList<string> errors) =>
        TypedResults.Problem(detail: string.Join("\n", errors), statusCode: StatusCodes.Status400BadRequest, title: "The policy document is not valid",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>The body as UTF-8 text, or null when it is larger than <see cref="PolicyStore.MaxDocumentBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > PolicyStore.MaxDocumentBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > PolicyStore.MaxDocumentBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
