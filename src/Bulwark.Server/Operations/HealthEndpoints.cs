using Bulwark.Registry;
using Bulwark.Registry.Metadata;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Operations;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (database and storage usable).</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Text("ok")).AllowAnonymous();
        endpoints.MapGet("/readyz", ReadyAsync).AllowAnonymous();
    }

    private static async Task<IResult> ReadyAsync(IDbContextFactory<RegistryDbContext> dbFactory, RegistryOptions options,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                problems.Add("database unreachable");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or DbUpdateException or System.Data.Common.DbException)
        {
            problems.Add("database unreachable");
        }

        try
        {
            var probe = Path.Combine(options.UploadsDirectory, ".ready-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add("storage not writable");
        }

        return problems.Count == 0
            ? TypedResults.Text("ready")
            : TypedResults.Text(string.Join("; ", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
