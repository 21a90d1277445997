namespace Bulwark.Registry;

/// <summary>The error codes of the distribution spec ("Error Codes" table), plus the HTTP status each maps to.</summary>
public enum RegistryErrorCode
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    /// <summary>A chunk out of order or overlapping (spec: 416, body code BLOB_UPLOAD_INVALID).</summary>
    RangeInvalid,
    /// <summary>A manifest over the size limit (413).</summary>
    ManifestTooLarge,
    /// <summary>A blob over the size limit (413).</summary>
    BlobTooLarge,
    /// <summary>A malformed <c>n</c> or <c>last</c> on a listing (400, code PAGINATION_NUMBER_INVALID as Distribution uses).</summary>
    PaginationInvalid,
}
