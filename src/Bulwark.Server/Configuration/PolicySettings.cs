namespace Bulwark.Server.Configuration;

/// <summary>Image policy and quarantine, as configured (<c>policy:</c> in <c>bulwark.yaml</c>).</summary>
public sealed class PolicySettings
{
    /// <summary>
    /// Whether images pushed while a policy is stored are quarantined until their decision is <c>pass</c>. With no
    /// policy stored nothing is quarantined, whatever this says.
    /// </summary>
    public bool Quarantine { get; set; } = true;

    /// <summary>Whether an advisory update re-evaluates every decided image (a passing image may be quarantined again).</summary>
    public bool ReevaluateOnUpdate { get; set; } = true;

    /// <summary>
    /// The <c>host[:port]</c> clients use to reach this registry, which <c>allowedRegistries</c> rules match for images
    /// pushed here; the listen address when unset.
    /// </summary>
    public string? RegistryHost { get; set; }

    /// <summary>A policy document (YAML) stored as the policy <c>default</c> at start when its content changed.</summary>
    public string? File { get; set; }
}
