namespace Bulwark.Policy.Workloads;

/// <summary>The three Pod Security Standards profiles, from least to most restrictive.</summary>
public enum PodSecurityLevel
{
    /// <summary>Unrestricted: every pod is allowed.</summary>
    Privileged,

    /// <summary>Prevents known privilege escalations while keeping common workloads running.</summary>
    Baseline,

    /// <summary>Current pod hardening best practice, at the cost of some compatibility.</summary>
    Restricted,
}
