namespace Bulwark.Policy.Images;

/// <summary>The six checks a rule can hold, in the order they are evaluated.</summary>
public enum PolicyCheckKind
{
    AllowedRegistries,
    ApprovedBaseImages,
    RequireSignature,
    Vulnerabilities,
    Image,
    Provenance,
}
