using Bulwark.Oci;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Registry.Http;

/// <summary>
/// The OCI distribution-spec v1.1 API under <c>/v2</c>. One route receives every /v2 request; it is matched
/// to a <see cref="RegistryOperation"/>, authorized by the <see cref="IRegistryAccessPolicy"/>, and handed to
/// the feature module (blobs, uploads, manifests, listings). Errors become the spec's error body.
/// </summary>
public static class RegistryApi
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    public static IEndpointConventionBuilder MapRegistryApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMethods("/v2/{**path}", Methods, HandleAsync).WithDisplayName("OCI distribution API");

    private static async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers[RegistryHeaders.ApiVersion] = "registry/2.0";
        try
        {
            var path = context.Request.Path.Value ?? "/v2/";
            var route = RegistryRoute.Match(context.Request.Method, path);
            if (route is null)
            {
                throw RegistryRoute.IsKnownPath(path)
                    ? new RegistryException(RegistryErrorCode.Unsupported, $"{context.Request.Method} is not supported on this resource")
                    : new RegistryException(RegistryErrorCode.NameUnknown, "no registry resource at this path");
            }

            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new("bulwark.operation", route.Operation.ToString()));
            if (route.Repository is not null && !RepositoryName.IsValid(route.Repository))
            {
                throw new RegistryException(RegistryErrorCode.NameInvalid, "invalid repository name");
            }

            var options = context.RequestServices.GetRequiredService<RegistryOptions>();
            var bodyLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (bodyLimit is { IsReadOnly: false } && route.Operation is RegistryOperation.UploadStart or RegistryOperation.UploadChunk
                    or RegistryOperation.UploadComplete or RegistryOperation.ManifestWrite)
            {
                // Blob and manifest sizes are enforced by the registry's own limits, with the spec's errors.
                bodyLimit.MaxRequestBodySize = null;
            }

            var access = context.RequestServices.GetRequiredService<IRegistryAccessPolicy>();
            await access.AuthorizeAsync(context, route, context.RequestAborted);
            await DispatchAsync(context, route, access, options);
        }
        catch (RegistryException e) when (!response.HasStarted)
        {
            await RegistryResponses.WriteErrorAsync(context, e);
        }
        catch (BadHttpRequestException e) when (!response.HasStarted)
        {
            // The client's body did not match its headers (short body, too large, bad chunking).
            await RegistryResponses.WriteErrorAsync(context,
                new RegistryException(e.StatusCode == StatusCodes.Status413PayloadTooLarge ? RegistryErrorCode.BlobTooLarge : RegistryErrorCode.SizeInvalid,
                    "request body does not match its declared length"));
        }
    }

    private static Task DispatchAsync(HttpContext context, RegistryRoute route, IRegistryAccessPolicy access, RegistryOptions options)
    {
        var name = route.Repository!;
        var argument = route.Argument!;
        return route.Operation switch
        {
            RegistryOperation.ApiVersion => RegistryResponses.WriteJsonAsync(context, new Dictionary<string, string>(),
                RegistryJsonContext.Default.DictionaryStringString),
            RegistryOperation.Catalog => ListingEndpoints.CatalogAsync(context, access),
            RegistryOperation.BlobRead => BlobEndpoints.ReadAsync(context, name, argument),
            RegistryOperation.BlobDelete => BlobEndpoints.DeleteAsync(context, name, argument),
            RegistryOperation.UploadStart => UploadEndpoints.StartAsync(context, name, access),
            RegistryOperation.UploadChunk => UploadEndpoints.ChunkAsync(context, name, argument),
            RegistryOperation.UploadComplete => UploadEndpoints.CompleteAsync(context, name, argument),
            RegistryOperation.UploadStatus => UploadEndpoints.StatusAsync(context, name, argument),
            RegistryOperation.UploadCancel => UploadEndpoints.CancelAsync(context, name, argument),
            RegistryOperation.ManifestRead => ManifestEndpoints.ReadAsync(context, name, argument),
            RegistryOperation.ManifestWrite => ManifestEndpoints.WriteAsync(context, name, argument, options.MaxManifestBytes),
            RegistryOperation.ManifestDelete => ManifestEndpoints.DeleteAsync(context, name, argument),
            RegistryOperation.TagList => ListingEndpoints.TagsAsync(context, name),
            RegistryOperation.Referrers => ListingEndpoints.ReferrersAsync(context, name, argument),
            _ => throw new RegistryException(RegistryErrorCode.Unsupported, "operation not supported"),
        };
    }
}
