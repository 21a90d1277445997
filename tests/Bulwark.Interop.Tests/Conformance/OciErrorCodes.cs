namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// The distribution-spec error codes (code-1 … code-14), plus MANIFEST_UNVERIFIED and TAG_INVALID, which
/// the conformance suite still accepts from older registries.
/// </summary>
public static class OciErrorCodes
{
    public const string Unsupported = "UNSUPPORTED";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "BLOB_UNKNOWN",
        "BLOB_UPLOAD_INVALID",
        "BLOB_UPLOAD_UNKNOWN",
        "DIGEST_INVALID",
        "MANIFEST_BLOB_UNKNOWN",
        "MANIFEST_INVALID",
        "MANIFEST_UNKNOWN",
        "MANIFEST_UNVERIFIED",
        "NAME_INVALID",
        "NAME_UNKNOWN",
        "SIZE_INVALID",
        "TAG_INVALID",
        "UNAUTHORIZED",
        "DENIED",
        Unsupported,
        "TOOMANYREQUESTS",
    };
}
