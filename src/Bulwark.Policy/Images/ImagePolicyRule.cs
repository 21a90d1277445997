namespace Bulwark.Policy.Images;

/// <summary>
/// One rule: its scope (<see cref="Repositories"/>), its <see cref="Mode"/>, and any of the six checks (a null check is
/// not part of the rule).
/// </summary>
public sealed record ImagePolicyRule
{
    public required string Name { get; init; }

    public required IReadOnlyList<RepositoryScope> Repositories { get; init; }

    public PolicyMode Mode { get; init; } = PolicyMode.Enforce;

    /// <summary>Exact <c>host[:port]</c> values, lower-cased.</summary>
    public IReadOnlyList<string>? AllowedRegistries { get; init; }

    public IReadOnlyList<BaseImagePattern>? ApprovedBaseImages { get; init; }

    public SignatureRequirement? RequireSignature { get; init; }

    public VulnerabilityRequirement? Vulnerabilities { get; init; }

    public ImageRequirement? Image { get; init; }

    public ProvenanceRequirement? Provenance { get; init; }

    public bool AppliesTo(string repository) => Repositories.Any(r => r.Matches(repository));
}
