using System.Buffers;
using Bulwark.Registry.Events;
using Bulwark.Registry.Manifests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Registry.Http;

/// <summary>end-3 (GET/HEAD), end-7 (PUT) and end-9 (DELETE) of manifests.</summary>
internal static class ManifestEndpoints
{
    public static async Task ReadAsync(HttpContext context, string repository, string reference)
    {
        var ct = context.RequestAborted;
        var manifests = context.RequestServices.GetRequiredService<ManifestService>();
        var manifest = await manifests.FindAsync(repository, reference, ct)
            ?? throw new RegistryException(RegistryErrorCode.ManifestUnknown, "manifest unknown to registry", new { reference });
        if (context.RequestServices.GetService<IRegistryContentGate>() is { } gate)
        {
            await gate.CheckManifestAsync(context, repository, manifest, ct);
        }

        var response = context.Response;
        response.ContentType = manifest.MediaType;
        response.ContentLength = manifest.Size;
        response.Headers[RegistryHeaders.ContentDigest] = manifest.Digest.ToString();
        response.Headers.ETag = $"\"{manifest.Digest}\"";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var content = await manifests.ReadContentAsync(manifest, ct);
        await response.Body.WriteAsync(content, ct);
        if (RegistryEvents.AnyWantsPulls(context))
        {
            await RegistryEvents.PublishAsync(context, new RegistryEvent
            {
                Kind = RegistryEventKind.ManifestPulled,
                Repository = repository,
                Digest = manifest.Digest.ToString(),
                Tag = TagOf(reference),
                MediaType = manifest.MediaType,
            });
        }
    }

    public static async Task WriteAsync(HttpContext context, string repository, string reference, long maxBytes)
    {
        var ct = context.RequestAborted;
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw new RegistryException(RegistryErrorCode.ManifestTooLarge, $"manifest exceeds the {maxBytes}-byte limit");
        }

        var content = await ReadBoundedAsync(request.Body, maxBytes, ct);
        var manifests = context.RequestServices.GetRequiredService<ManifestService>();
        var stored = await manifests.PutAsync(repository, reference, content, request.ContentType, ct);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"/v2/{repository}/manifests/{stored.Digest}";
        response.Headers[RegistryHeaders.ContentDigest] = stored.Digest.ToString();
        if (stored.SubjectDigest is not null)
        {
            // distribution-spec "Pushing Manifests with Subject": tells the client referrers are indexed.
            response.Headers[RegistryHeaders.Subject] = stored.SubjectDigest;
        }

        response.ContentLength = 0;
        await RegistryEvents.PublishAsync(context, new RegistryEvent
        {
            Kind = RegistryEventKind.ManifestPushed,
            Repository = repository,
            Digest = stored.Digest.ToString(),
            Tag = TagOf(reference),
            MediaType = stored.MediaType,
            PreviousDigest = stored.PreviousTagDigest,
            SubjectDigest = stored.SubjectDigest,
        });
    }

    public static async Task DeleteAsync(HttpContext context, string repository, string reference)
    {
        var manifests = context.RequestServices.GetRequiredService<ManifestService>();
        await manifests.DeleteAsync(repository, reference, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
        var byTag = TagOf(reference) is not null;
        await RegistryEvents.PublishAsync(context, new RegistryEvent
        {
            Kind = byTag ? RegistryEventKind.TagDeleted : RegistryEventKind.ManifestDeleted,
            Repository = repository,
            Digest = byTag ? null : reference,
            Tag = byTag ? reference : null,
        });
    }

    /// <summary>The tag a reference names, or null for a digest (the registry has validated it by now).</summary>
    private static string? TagOf(string reference) => reference.Contains(':', StringComparison.Ordinal) ? null : reference;

    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw new RegistryException(RegistryErrorCode.ManifestTooLarge, $"manifest exceeds the {maxBytes}-byte limit");
            }
        }
    }
}
