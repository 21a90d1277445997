using Bulwark.Identity.Principals;

namespace Bulwark.Identity.Management;

/// <summary>A principal as the management API shows it: never a hash or a secret.</summary>
public sealed record PrincipalView(
    Guid Id,
    PrincipalKind Kind,
    string Name,
    string? Description,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? ScopeMap,
    IReadOnlyList<SecretView> Secrets);
