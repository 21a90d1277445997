namespace Bulwark.Registry.Http;

/// <summary>Every operation of the /v2 API, named after the distribution-spec endpoint it implements.</summary>
public enum RegistryOperation
{
    /// <summary>end-1: GET /v2/</summary>
    ApiVersion,
    /// <summary>end-2: GET/HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</summary>
    BlobRead,
    /// <summary>end-10: DELETE /v2/&lt;name&gt;/blobs/&lt;digest&gt;</summary>
    BlobDelete,
    /// <summary>end-4a/4b/11: POST /v2/&lt;name&gt;/blobs/uploads/ (session, monolithic, mount)</summary>
    UploadStart,
    /// <summary>end-5: PATCH /v2/&lt;name&gt;/blobs/uploads/&lt;reference&gt;</summary>
    UploadChunk,
    /// <summary>end-6: PUT /v2/&lt;name&gt;/blobs/uploads/&lt;reference&gt;?digest=</summary>
    UploadComplete,
    /// <summary>end-13: GET /v2/&lt;name&gt;/blobs/uploads/&lt;reference&gt;</summary>
    UploadStatus,
    /// <summary>DELETE /v2/&lt;name&gt;/blobs/uploads/&lt;reference&gt;</summary>
    UploadCancel,
    /// <summary>end-3: GET/HEAD /v2/&lt;name&gt;/manifests/&lt;reference&gt;</summary>
    ManifestRead,
    /// <summary>end-7: PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;</summary>
    ManifestWrite,
    /// <summary>end-9: DELETE /v2/&lt;name&gt;/manifests/&lt;reference&gt;</summary>
    ManifestDelete,
    /// <summary>end-8a/8b: GET /v2/&lt;name&gt;/tags/list</summary>
    TagList,
    /// <summary>end-12a/12b: GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</summary>
    Referrers,
    /// <summary>GET /v2/_catalog</summary>
    Catalog,
}
