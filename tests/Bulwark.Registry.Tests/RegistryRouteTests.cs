using Bulwark.Registry.Http;

namespace Bulwark.Registry.Tests;

public sealed class RegistryRouteTests
{
    [Theory]
    [InlineData("GET", "/v2/", RegistryOperation.ApiVersion, null, null)]
    [InlineData("GET", "/v2", RegistryOperation.ApiVersion, null, null)]
    [InlineData("GET", "/v2/_catalog", RegistryOperation.Catalog, null, null)]
    [InlineData("HEAD", "/v2/a/b/blobs/sha256:x", RegistryOperation.BlobRead, "a/b", "sha256:x")]
    [InlineData("DELETE", "/v2/a/blobs/d", RegistryOperation.BlobDelete, "a", "d")]
    [InlineData("POST", "/v2/team/app/blobs/uploads/", RegistryOperation.UploadStart, "team/app", "")]
    [InlineData("POST", "/v2/team/app/blobs/uploads", RegistryOperation.UploadStart, "team/app", "uploads")]
    [InlineData("PATCH", "/v2/a/blobs/uploads/123", RegistryOperation.UploadChunk, "a", "123")]
    [InlineData("PUT", "/v2/a/blobs/uploads/123", RegistryOperation.UploadComplete, "a", "123")]
    [InlineData("GET", "/v2/a/blobs/uploads/123", RegistryOperation.UploadStatus, "a", "123")]
    [InlineData("DELETE", "/v2/a/blobs/uploads/123", RegistryOperation.UploadCancel, "a", "123")]
    [InlineData("GET", "/v2/a/manifests/latest", RegistryOperation.ManifestRead, "a", "latest")]
    [InlineData("PUT", "/v2/a/manifests/latest", RegistryOperation.ManifestWrite, "a", "latest")]
    [InlineData("DELETE", "/v2/a/manifests/latest", RegistryOperation.ManifestDelete, "a", "latest")]
    [InlineData("GET", "/v2/a/tags/list", RegistryOperation.TagList, "a", "list")]
    [InlineData("GET", "/v2/a/referrers/sha256:x", RegistryOperation.Referrers, "a", "sha256:x")]
    // A repository may contain resource keywords as path components; the last keyword wins.
    [InlineData("GET", "/v2/foo/blobs/bar/manifests/v1", RegistryOperation.ManifestRead, "foo/blobs/bar", "v1")]
    [InlineData("GET", "/v2/manifests/tags/list", RegistryOperation.TagList, "manifests", "list")]
    public void Match_KnownRoutes(string method, string path, RegistryOperation operation, string? repository, string? argument)
    {
        var route = RegistryRoute.Match(method, path);
        Assert.NotNull(route);
        Assert.Equal(operation, route.Operation);
        Assert.Equal(repository, route.Repository);
        Assert.Equal(argument, route.Argument);
    }

    [Theory]
    [InlineData("PUT", "/v2/a/tags/list")]
    [InlineData("POST", "/v2/a/manifests/x")]
    [InlineData("PATCH", "/v2/a/blobs/uploads/")]
    [InlineData("DELETE", "/v2/")]
    [InlineData("GET", "/v2/a/tags/other")]
    public void Match_WrongMethodOnKnownPath_IsNullButKnown(string method, string path)
    {
        Assert.Null(RegistryRoute.Match(method, path));
        Assert.True(RegistryRoute.IsKnownPath(path));
    }

    [Theory]
    [InlineData("/v2/a")]
    [InlineData("/v2/a/unknown/x")]
    [InlineData("/v2/a/blobs/x/y")]
    public void Match_UnknownPath_IsNull(string path)
    {
        Assert.Null(RegistryRoute.Match("GET", path));
        Assert.False(RegistryRoute.IsKnownPath(path));
    }
}
