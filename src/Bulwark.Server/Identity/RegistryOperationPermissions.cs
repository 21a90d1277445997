using Bulwark.Identity.Permissions;
using Bulwark.Registry.Http;

namespace Bulwark.Server.Identity;

/// <summary>
/// The action each /v2 operation needs. Pulling bytes is content/read; listing tags and referrers is
/// metadata/read (a docker <c>pull</c> scope grants both); every upload step and manifest push is
/// content/write (a push by tag creates or moves the tag, which is part of pushing); deletes of blobs,
/// manifests and tags are content/delete. <c>/v2/</c> and the catalog need a signed-in caller; the catalog
/// then lists only repositories the caller can read, and a cross-repository mount also needs content/read
/// on the source (checked by <see cref="IRegistryAccessPolicy.CanReadAsync"/>).
/// </summary>
public static class RegistryOperationPermissions
{
    public static OperationRequirement For(RegistryOperation operation) => operation switch
    {
        RegistryOperation.ApiVersion => OperationRequirement.SignedIn,
        RegistryOperation.Catalog => OperationRequirement.SignedIn,
        RegistryOperation.BlobRead => OperationRequirement.On(RegistryActions.ContentRead),
        RegistryOperation.ManifestRead => OperationRequirement.On(RegistryActions.ContentRead),
        RegistryOperation.TagList => OperationRequirement.On(RegistryActions.MetadataRead),
        RegistryOperation.Referrers => OperationRequirement.On(RegistryActions.MetadataRead),
        RegistryOperation.UploadStart => OperationRequirement.On(RegistryActions.ContentWrite),
        RegistryOperation.UploadChunk => OperationRequirement.On(RegistryActions.ContentWrite),
        RegistryOperation.UploadComplete => OperationRequirement.On(RegistryActions.ContentWrite),
        RegistryOperation.UploadStatus => OperationRequirement.On(RegistryActions.ContentWrite),
        RegistryOperation.UploadCancel => OperationRequirement.On(RegistryActions.ContentWrite),
        RegistryOperation.ManifestWrite => OperationRequirement.On(RegistryActions.ContentWrite),
        RegistryOperation.BlobDelete => OperationRequirement.On(RegistryActions.ContentDelete),
        RegistryOperation.ManifestDelete => OperationRequirement.On(RegistryActions.ContentDelete),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "no authorization requirement is defined for this operation"),
    };

    /// <summary>The docker scope actions a client should request for <paramref name="actions"/> (for the challenge's <c>scope</c>).</summary>
    public static string ScopeActions(RegistryActions actions) =>
        (actions & RegistryActions.ContentDelete) != 0 ? "delete"
        : (actions & (RegistryActions.ContentWrite | RegistryActions.MetadataWrite)) != 0 ? "pull,push"
        : "pull";
}
