using System.Globalization;
using Bulwark.Oci;
using Bulwark.Registry.Manifests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Registry.Http;

/// <summary>end-8 (tag list), end-12 (referrers) and the catalog.</summary>
internal static class ListingEndpoints
{
    public static async Task TagsAsync(HttpContext context, string repository)
    {
        var manifests = context.RequestServices.GetRequiredService<ManifestService>();
        var (n, last) = ReadPaging(context);
        var page = await manifests.ListTagsAsync(repository, n, last, context.RequestAborted);
        if (page.Last is not null)
        {
            RegistryResponses.AddNextLink(context, $"/v2/{repository}/tags/list", page.Items.Count, page.Last);
        }

        await RegistryResponses.WriteJsonAsync(context, new TagList(repository, page.Items), RegistryJsonContext.Default.TagList);
    }

    public static async Task CatalogAsync(HttpContext context, IRegistryAccessPolicy access)
    {
        var ct = context.RequestAborted;
        var manifests = context.RequestServices.GetRequiredService<ManifestService>();
        var (n, last) = ReadPaging(context);
        var page = await manifests.ListRepositoriesAsync(n, last, ct);
        var visible = new List<string>(page.Items.Count);
        foreach (var name in page.Items)
        {
            if (await access.CanReadAsync(context, name, ct))
            {
                visible.Add(name);
            }
        }

        if (page.Last is not null)
        {
            RegistryResponses.AddNextLink(context, "/v2/_catalog", page.Items.Count, page.Last);
        }

        await RegistryResponses.WriteJsonAsync(context, new Catalog(visible), RegistryJsonContext.Default.Catalog);
    }

    public static async Task ReferrersAsync(HttpContext context, string repository, string reference)
    {
        var subject = BlobEndpoints.ParseDigest(reference);
        var artifactType = context.Request.Query["artifactType"].ToString();
        var manifests = context.RequestServices.GetRequiredService<ManifestService>();
        var referrers = await manifests.ListReferrersAsync(repository, subject, artifactType.Length > 0 ? artifactType : null,
            context.RequestAborted);
        if (artifactType.Length > 0)
        {
            context.Response.Headers[RegistryHeaders.FiltersApplied] = "artifactType";
        }

        await RegistryResponses.WriteJsonAsync(context, new ImageIndex { Manifests = referrers }, OciJsonContext.Default.ImageIndex,
            MediaTypes.OciIndex);
    }

    private static (int? N, string? Last) ReadPaging(HttpContext context)
    {
        var query = context.Request.Query;
        int? n = null;
        if (query.TryGetValue("n", out var nValue))
        {
            n = int.TryParse(nValue.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new RegistryException(RegistryErrorCode.PaginationInvalid, "n must be a non-negative integer");
        }

        var last = query["last"].ToString();
        return (n, last.Length > 0 ? last : null);
    }
}
