using System.Text.RegularExpressions;

namespace Bulwark.Registry.Http;

/// <summary>
/// A /v2 request path split into repository name, resource and argument. Repository names contain slashes,
/// which ASP.NET route templates cannot express before a literal segment, so the split is done here with
/// the same rule Distribution uses: the name is everything before the last resource keyword.
/// </summary>
public sealed partial record RegistryRoute(RegistryOperation Operation, string? Repository, string? Argument)
{
    /// <summary>Maps a method and a path below <c>/v2</c> to an operation, or null when nothing matches.</summary>
    public static RegistryRoute? Match(string method, string path)
    {
        if (path is "/v2" or "/v2/")
        {
            return method is "GET" or "HEAD" ? new RegistryRoute(RegistryOperation.ApiVersion, null, null) : null;
        }

        if (path == "/v2/_catalog")
        {
            return method is "GET" or "HEAD" ? new RegistryRoute(RegistryOperation.Catalog, null, null) : null;
        }

        var match = Grammar().Match(path);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        var argument = match.Groups["arg"].Value;
        RegistryOperation? operation = (match.Groups["kind"].Value, method) switch
        {
            ("blobs/uploads", "POST") when argument.Length == 0 => RegistryOperation.UploadStart,
            ("blobs/uploads", "PATCH") when argument.Length > 0 => RegistryOperation.UploadChunk,
            ("blobs/uploads", "PUT") when argument.Length > 0 => RegistryOperation.UploadComplete,
            ("blobs/uploads", "GET" or "HEAD") when argument.Length > 0 => RegistryOperation.UploadStatus,
            ("blobs/uploads", "DELETE") when argument.Length > 0 => RegistryOperation.UploadCancel,
            ("blobs", "POST") when argument == "uploads" => RegistryOperation.UploadStart,
            ("blobs", "GET" or "HEAD") => RegistryOperation.BlobRead,
            ("blobs", "DELETE") => RegistryOperation.BlobDelete,
            ("manifests", "GET" or "HEAD") => RegistryOperation.ManifestRead,
            ("manifests", "PUT") => RegistryOperation.ManifestWrite,
            ("manifests", "DELETE") => RegistryOperation.ManifestDelete,
            ("tags", "GET" or "HEAD") when argument == "list" => RegistryOperation.TagList,
            ("referrers", "GET" or "HEAD") => RegistryOperation.Referrers,
            _ => null,
        };
        return operation is null ? null : new RegistryRoute(operation.Value, name, argument);
    }

    /// <summary>True when the path names a /v2 resource, whatever the method (used to answer 405 rather than 404).</summary>
    public static bool IsKnownPath(string path) => path is "/v2" or "/v2/" or "/v2/_catalog" || Grammar().IsMatch(path);

    [GeneratedRegex("^/v2/(?<name>.+?)/(?<kind>blobs/uploads|blobs|manifests|tags|referrers)/(?<arg>[^/]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
