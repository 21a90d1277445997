using Bulwark.Oci;
using Bulwark.Registry.Events;
using Bulwark.Registry.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Registry.Http;

/// <summary>
/// Blob pushes: end-4a (POST, session), end-4b (POST ?digest=, monolithic), end-11 (POST ?mount=&amp;from=),
/// end-5 (PATCH chunk), end-6 (PUT ?digest=, complete), end-13 (GET status) and DELETE (cancel).
/// </summary>
internal static class UploadEndpoints
{
    public static async Task StartAsync(HttpContext context, string repository, IRegistryAccessPolicy access)
    {
        var ct = context.RequestAborted;
        var uploads = context.RequestServices.GetRequiredService<BlobUploadService>();
        var query = context.Request.Query;

        // end-11: mount when the source holds the blob and the caller may read it; otherwise fall back to
        // an ordinary upload session (202), as the spec requires.
        if (query.TryGetValue("mount", out var mount))
        {
            var from = query["from"].ToString();
            if (Digest.TryParse(mount.ToString(), out var mountDigest) && RepositoryName.IsValid(from)
                && await access.CanReadAsync(context, from, ct)
                && await uploads.TryMountAsync(repository, mountDigest, from, ct) is { } mounted)
            {
                RegistryResponses.SetBlobCreated(context, repository, mounted.Digest);
                await RegistryEvents.PublishAsync(context, new RegistryEvent
                {
                    Kind = RegistryEventKind.BlobMounted,
                    Repository = repository,
                    Digest = mounted.Digest.ToString(),
                    SourceRepository = from,
                });
                return;
            }
        }
        else if (query.TryGetValue("digest", out var digestValue))
        {
            var digest = BlobEndpoints.ParseDigest(digestValue.ToString());
            var stored = await uploads.UploadAsync(repository, digest, context.Request.Body, context.Request.ContentLength, ct);
            RegistryResponses.SetBlobCreated(context, repository, stored.Digest);
            return;
        }

        var session = await uploads.StartAsync(repository, ct);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        RegistryResponses.SetUploadHeaders(context, repository, session.Id, session.Offset);
        context.Response.ContentLength = 0;
    }

    public static async Task ChunkAsync(HttpContext context, string repository, string id)
    {
        var uploads = context.RequestServices.GetRequiredService<BlobUploadService>();
        var range = ReadContentRange(context);
        var status = await WithUploadStateOnErrorAsync(context, repository, id,
            () => uploads.AppendAsync(repository, id, context.Request.Body, range, context.Request.ContentLength, context.RequestAborted));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        RegistryResponses.SetUploadHeaders(context, repository, status.Id, status.Offset);
        context.Response.ContentLength = 0;
    }

    public static async Task CompleteAsync(HttpContext context, string repository, string id)
    {
        var uploads = context.RequestServices.GetRequiredService<BlobUploadService>();
        var digestValue = context.Request.Query["digest"].ToString();
        if (digestValue.Length == 0)
        {
            throw new RegistryException(RegistryErrorCode.DigestInvalid, "the digest query parameter is required to complete an upload");
        }

        var digest = BlobEndpoints.ParseDigest(digestValue);
        var range = ReadContentRange(context);
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        var stored = await WithUploadStateOnErrorAsync(context, repository, id,
            () => uploads.CompleteAsync(repository, id, digest, hasBody ? request.Body : null, range, request.ContentLength, context.RequestAborted));
        RegistryResponses.SetBlobCreated(context, repository, stored.Digest);
    }

    public static async Task StatusAsync(HttpContext context, string repository, string id)
    {
        var uploads = context.RequestServices.GetRequiredService<BlobUploadService>();
        var status = await uploads.GetStatusAsync(repository, id, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        RegistryResponses.SetUploadHeaders(context, repository, status.Id, status.Offset);
    }

    public static async Task CancelAsync(HttpContext context, string repository, string id)
    {
        var uploads = context.RequestServices.GetRequiredService<BlobUploadService>();
        await uploads.CancelAsync(repository, id, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static ContentRange? ReadContentRange(HttpContext context)
    {
        var header = context.Request.Headers.ContentRange.ToString();
        if (header.Length == 0)
        {
            return null;
        }

        return ContentRange.TryParse(header, out var range)
            ? range
            : throw new RegistryException(RegistryErrorCode.RangeInvalid, $"malformed Content-Range '{header}'");
    }

    /// <summary>On a refused chunk, tell the client where the upload stands so it can resume (end-5: 416 + Range).</summary>
    private static async Task<T> WithUploadStateOnErrorAsync<T>(HttpContext context, string repository, string id, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (RegistryException e) when (e.Code is RegistryErrorCode.RangeInvalid or RegistryErrorCode.SizeInvalid)
        {
            var uploads = context.RequestServices.GetRequiredService<BlobUploadService>();
            var status = await uploads.GetStatusAsync(repository, id, CancellationToken.None);
            RegistryResponses.SetUploadHeaders(context, repository, status.Id, status.Offset);
            throw;
        }
    }
}
