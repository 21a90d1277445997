namespace Bulwark.Registry;

/// <summary>The spec's code string and HTTP status for each <see cref="RegistryErrorCode"/>.</summary>
public static class RegistryErrors
{
    public static (string Code, int Status) Describe(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown => ("BLOB_UNKNOWN", 404),
        RegistryErrorCode.BlobUploadInvalid => ("BLOB_UPLOAD_INVALID", 400),
        RegistryErrorCode.BlobUploadUnknown => ("BLOB_UPLOAD_UNKNOWN", 404),
        RegistryErrorCode.DigestInvalid => ("DIGEST_INVALID", 400),
        RegistryErrorCode.ManifestBlobUnknown => ("MANIFEST_BLOB_UNKNOWN", 400),
        RegistryErrorCode.ManifestInvalid => ("MANIFEST_INVALID", 400),
        RegistryErrorCode.ManifestUnknown => ("MANIFEST_UNKNOWN", 404),
        RegistryErrorCode.NameInvalid => ("NAME_INVALID", 400),
        RegistryErrorCode.NameUnknown => ("NAME_UNKNOWN", 404),
        RegistryErrorCode.SizeInvalid => ("SIZE_INVALID", 400),
        RegistryErrorCode.Unauthorized => ("UNAUTHORIZED", 401),
        RegistryErrorCode.Denied => ("DENIED", 403),
        RegistryErrorCode.Unsupported => ("UNSUPPORTED", 405),
        RegistryErrorCode.TooManyRequests => ("TOOMANYREQUESTS", 429),
        RegistryErrorCode.RangeInvalid => ("BLOB_UPLOAD_INVALID", 416),
        RegistryErrorCode.ManifestTooLarge => ("MANIFEST_INVALID", 413),
        RegistryErrorCode.BlobTooLarge => ("SIZE_INVALID", 413),
        RegistryErrorCode.PaginationInvalid => ("PAGINATION_NUMBER_INVALID", 400),
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}
