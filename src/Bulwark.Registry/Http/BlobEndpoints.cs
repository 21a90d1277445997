using Bulwark.Oci;
using Bulwark.Registry.Events;
using Bulwark.Registry.Metadata;
using Bulwark.Registry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Registry.Http;

/// <summary>end-2 (GET/HEAD a blob) and end-10 (DELETE a blob).</summary>
internal static class BlobEndpoints
{
    public static async Task ReadAsync(HttpContext context, string repository, string reference)
    {
        var ct = context.RequestAborted;
        var digest = ParseDigest(reference);
        var repositories = context.RequestServices.GetRequiredService<RepositoryMetadata>();
        var store = context.RequestServices.GetRequiredService<IBlobStore>();
        var repositoryId = await repositories.FindAsync(repository, ct);
        var size = repositoryId is null ? null : await repositories.GetLinkedBlobSizeAsync(repositoryId.Value, digest, ct);
        var stream = size is null ? null : await store.OpenReadAsync(digest, ct);
        if (stream is null)
        {
            throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = digest.ToString() });
        }

        await using (stream)
        {
            if (!HttpMethods.IsHead(context.Request.Method) && context.RequestServices.GetService<IRegistryContentGate>() is { } gate)
            {
                await gate.CheckBlobAsync(context, repository, digest, ct);
            }

            var response = context.Response;
            response.Headers[RegistryHeaders.ContentDigest] = digest.ToString();
            response.Headers.ETag = $"\"{digest}\"";
            response.Headers.AcceptRanges = "bytes";
            response.ContentType = "application/octet-stream";
            var (offset, length) = ApplyRange(context, size!.Value);
            response.ContentLength = length;
            if (HttpMethods.IsHead(context.Request.Method) || length == 0)
            {
                return;
            }

            stream.Seek(offset, SeekOrigin.Begin);
            await StreamCopy.CopyAsync(stream, response.Body, length, ct);
            context.RequestServices.GetRequiredService<RegistryMetrics>().BytesSent.Add(length);
        }
    }

    public static async Task DeleteAsync(HttpContext context, string repository, string reference)
    {
        var ct = context.RequestAborted;
        var digest = ParseDigest(reference);
        var repositories = context.RequestServices.GetRequiredService<RepositoryMetadata>();
        var repositoryId = await repositories.FindAsync(repository, ct);
        if (repositoryId is null || !await repositories.UnlinkBlobAsync(repositoryId.Value, digest, ct))
        {
            throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = digest.ToString() });
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
        await RegistryEvents.PublishAsync(context, new RegistryEvent
        {
            Kind = RegistryEventKind.BlobDeleted,
            Repository = repository,
            Digest = digest.ToString(),
        });
    }

    internal static Digest ParseDigest(string value) =>
        Digest.TryParse(value, out var digest)
            ? digest
            : throw new RegistryException(RegistryErrorCode.DigestInvalid, "provided digest is not a valid sha256 or sha512 digest");

    /// <summary>Honours a single <c>Range: bytes=a-b</c> (RFC 9110), which clients use to resume pulls.</summary>
    private static (long Offset, long Length) ApplyRange(HttpContext context, long size)
    {
        var header = context.Request.Headers.Range.ToString();
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return (0, size);
        }

        var spec = header[6..];
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        long start, end;
        if (dash < 0)
        {
            return (0, size);
        }
        else if (dash == 0 && long.TryParse(spec[1..], out var suffix) && suffix > 0)
        {
            start = Math.Max(0, size - suffix);
            end = size - 1;
        }
        else if (long.TryParse(spec[..dash], out start))
        {
            end = dash == spec.Length - 1 ? size - 1 : long.TryParse(spec[(dash + 1)..], out var e) ? Math.Min(e, size - 1) : -1;
        }
        else
        {
            return (0, size);
        }

        if (start >= size || end < start)
        {
            context.Response.Headers.ContentRange = $"bytes */{size}";
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "requested range is not satisfiable");
        }

        context.Response.StatusCode = StatusCodes.Status206PartialContent;
        context.Response.Headers.ContentRange = $"bytes {start}-{end}/{size}";
        return (start, end - start + 1);
    }
}
