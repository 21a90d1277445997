namespace Bulwark.Audit.Records;

/// <summary>
/// The catalogue of audit actions. Names are stable, lower-case and dotted (<c>area.object.verb</c>); they are
/// part of the exported format, so a name is never changed or reused once released — add a new one instead.
/// docs/audit.md lists them with what each records as its target.
/// </summary>
public static class AuditActions
{
    /// <summary>A password, client-secret or token authentication attempt; the target is the account name.</summary>
    public const string AuthLogin = "auth.login";

    /// <summary>An access or refresh token issued by the token service; the target is the granted scope.</summary>
    public const string AuthTokenIssue = "auth.token.issue";

    /// <summary>A refresh token or repository-scoped token revoked.</summary>
    public const string AuthTokenRevoke = "auth.token.revoke";

    /// <summary>A manifest pushed; the target is <c>repository@digest</c>.</summary>
    public const string RegistryPush = "registry.push";

    /// <summary>A tag created or moved to another manifest; the target is <c>repository:tag</c>.</summary>
    public const string RegistryTagMove = "registry.tag.move";

    /// <summary>A manifest, tag or blob deleted; the target is the reference.</summary>
    public const string RegistryDelete = "registry.delete";

    /// <summary>A blob mounted across repositories; the target is the destination, the source is in details.</summary>
    public const string RegistryMount = "registry.mount";

    /// <summary>A manifest pulled (only when pull auditing is enabled).</summary>
    public const string RegistryPull = "registry.pull";

    /// <summary>A user created.</summary>
    public const string AdminUserCreate = "admin.user.create";

    /// <summary>A user changed (password, enabled state, display name).</summary>
    public const string AdminUserUpdate = "admin.user.update";

    /// <summary>A user deleted.</summary>
    public const string AdminUserDelete = "admin.user.delete";

    /// <summary>A service principal created.</summary>
    public const string AdminPrincipalCreate = "admin.principal.create";

    /// <summary>A service principal changed.</summary>
    public const string AdminPrincipalUpdate = "admin.principal.update";

    /// <summary>A service principal deleted.</summary>
    public const string AdminPrincipalDelete = "admin.principal.delete";

    /// <summary>A service-principal secret added (rotation).</summary>
    public const string AdminSecretCreate = "admin.secret.create";

    /// <summary>A service-principal secret removed.</summary>
    public const string AdminSecretDelete = "admin.secret.delete";

    /// <summary>A repository-scoped token created.</summary>
    public const string AdminTokenCreate = "admin.token.create";

    /// <summary>A repository-scoped token changed (description, enabled state, scope map).</summary>
    public const string AdminTokenUpdate = "admin.token.update";

    /// <summary>A repository-scoped token deleted.</summary>
    public const string AdminTokenDelete = "admin.token.delete";

    /// <summary>A scope map (custom set of actions on repository patterns) created.</summary>
    public const string AdminScopeMapCreate = "admin.scope-map.create";

    /// <summary>A scope map changed.</summary>
    public const string AdminScopeMapUpdate = "admin.scope-map.update";

    /// <summary>A scope map deleted.</summary>
    public const string AdminScopeMapDelete = "admin.scope-map.delete";

    /// <summary>A repository pattern made public for anonymous pull.</summary>
    public const string AdminPublicPatternCreate = "admin.public-pattern.create";

    /// <summary>A public repository pattern removed.</summary>
    public const string AdminPublicPatternDelete = "admin.public-pattern.delete";

    /// <summary>A role or scope map assigned to a principal.</summary>
    public const string AdminRoleAssign = "admin.role.assign";

    /// <summary>A role or scope map removed from a principal.</summary>
    public const string AdminRoleRevoke = "admin.role.revoke";

    /// <summary>Server configuration changed (at start, or through the management API).</summary>
    public const string ConfigChange = "config.change";

    /// <summary>Audit records archived and purged by retention; written by the audit log itself.</summary>
    public const string AuditPurge = "audit.purge";

    /// <summary>A re-scan of an image was requested.</summary>
    public const string ScanRescan = "scan.rescan";

    /// <summary>An image's SBOM was attached to it as an OCI referrer.</summary>
    public const string ScanSbomAttach = "scan.sbom.attach";

    /// <summary>Advisory sources were imported (scheduled or on request); one record per source and one per request.</summary>
    public const string AdvisoriesUpdate = "advisories.update";

    /// <summary>A validating admission review decided (allowed, denied or invalid); the target is <c>namespace/Kind/name</c>.</summary>
    public const string AdmissionReview = "admission.review";

    /// <summary>A mutating admission review pinned images to digests; the target is <c>namespace/Kind/name</c>.</summary>
    public const string AdmissionMutate = "admission.mutate";

    /// <summary>A version of a policy document stored; the target is the policy name, version and content hash are in details.</summary>
    public const string PolicyUpdate = "policy.update";

    /// <summary>A decision about an image (pending, pass, fail) stored; the target is <c>repository@digest</c>.</summary>
    public const string PolicyDecision = "policy.decision";

    /// <summary>Every action above, for documentation and validation tests.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AuthLogin, AuthTokenIssue, AuthTokenRevoke,
        RegistryPush, RegistryTagMove, RegistryDelete, RegistryMount, RegistryPull,
        AdminUserCreate, AdminUserUpdate, AdminUserDelete,
        AdminPrincipalCreate, AdminPrincipalUpdate, AdminPrincipalDelete,
        AdminSecretCreate, AdminSecretDelete, AdminTokenCreate, AdminTokenUpdate, AdminTokenDelete,
        AdminScopeMapCreate, AdminScopeMapUpdate, AdminScopeMapDelete, AdminPublicPatternCreate, AdminPublicPatternDelete,
        AdminRoleAssign, AdminRoleRevoke,
        ConfigChange, AuditPurge,
        ScanRescan, ScanSbomAttach, AdvisoriesUpdate,
        AdmissionReview, AdmissionMutate,
        PolicyUpdate, PolicyDecision,
    ];
}
