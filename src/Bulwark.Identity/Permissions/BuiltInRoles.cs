namespace Bulwark.Identity.Permissions;

/// <summary>
/// The built-in repository roles. Each is assigned on a repository pattern:
/// <list type="bullet">
/// <item><c>reader</c>: content/read, metadata/read — pull, list tags and referrers.</item>
/// <item><c>pusher</c>: reader + content/write — push blobs, manifests and tags.</item>
/// <item><c>maintainer</c>: pusher + content/delete + metadata/write — also delete and curate.</item>
/// <item><c>admin</c>: every repository action. Assigned with no pattern it is the <b>system</b> admin, who
/// also manages principals, roles and public patterns through the management API.</item>
/// <item><c>quarantine-reader</c>: reader + quarantine/read — also pull images still quarantined (scanners, reviewers).</item>
/// </list>
/// <c>signer</c> is reserved for a later release (attaching signatures): the name cannot be taken by custom scope
/// maps, and assigning it is refused until its actions exist.
/// </summary>
public static class BuiltInRoles
{
    public const string Reader = "reader";
    public const string Pusher = "pusher";
    public const string Maintainer = "maintainer";
    public const string Admin = "admin";
    public const string QuarantineReader = "quarantine-reader";
    public const string Signer = "signer";

    public static IReadOnlyList<string> Assignable { get; } = [Reader, Pusher, Maintainer, Admin, QuarantineReader];

    public static IReadOnlyList<string> Reserved { get; } = [Signer];

    public static bool IsBuiltIn(string name) => Assignable.Contains(name, StringComparer.Ordinal) || IsReserved(name);

    public static bool IsReserved(string name) => Reserved.Contains(name, StringComparer.Ordinal);

    /// <summary>The actions of an assignable built-in role, or null for any other name.</summary>
    public static RegistryActions? ActionsOf(string role) => role switch
    {
        Reader => RegistryActions.ContentRead | RegistryActions.MetadataRead,
        Pusher => RegistryActions.ContentRead | RegistryActions.MetadataRead | RegistryActions.ContentWrite,
        Maintainer => RegistryActions.ContentRead | RegistryActions.MetadataRead | RegistryActions.ContentWrite
            | RegistryActions.ContentDelete | RegistryActions.MetadataWrite,
        Admin => RegistryActions.All,
        QuarantineReader => RegistryActions.ContentRead | RegistryActions.MetadataRead | RegistryActions.QuarantineRead,
        _ => null,
    };
}
