namespace Bulwark.Policy.Admission;

/// <summary>The names of the rules a denial can cite; they appear in every denial message and in metrics.</summary>
public static class AdmissionRules
{
    /// <summary>A Pod Security Standards control failed (the control id follows).</summary>
    public const string PodSecurity = "podSecurity";

    /// <summary>The image's registry host is not in <c>allowedRegistries</c>.</summary>
    public const string AllowedRegistries = "allowedRegistries";

    /// <summary>The image reference is not valid.</summary>
    public const string ImageReference = "imageReference";

    /// <summary>An image on this registry does not resolve (unknown repository, tag or digest).</summary>
    public const string Resolvable = "resolvable";

    /// <summary>An image on this registry is not scanned and passing (quarantined, failed, pending or unknown).</summary>
    public const string ScanPolicy = "scanPolicy";

    /// <summary>An image on this registry has no verified signature while one is required.</summary>
    public const string Signature = "signature";
}
