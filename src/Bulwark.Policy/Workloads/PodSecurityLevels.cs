namespace Bulwark.Policy.Workloads;

/// <summary>The label spelling of <see cref="PodSecurityLevel"/> (<c>privileged</c>, <c>baseline</c>, <c>restricted</c>).</summary>
public static class PodSecurityLevels
{
    public static string Name(PodSecurityLevel level) => level switch
    {
        PodSecurityLevel.Privileged => "privileged",
        PodSecurityLevel.Baseline => "baseline",
        _ => "restricted",
    };

    /// <summary>Parses a level as the <c>pod-security.kubernetes.io/enforce</c> label spells it (lower case only, as upstream).</summary>
    public static bool TryParse(string? value, out PodSecurityLevel level)
    {
        switch (value)
        {
            case "privileged":
                level = PodSecurityLevel.Privileged;
                return true;
            case "baseline":
                level = PodSecurityLevel.Baseline;
                return true;
            case "restricted":
                level = PodSecurityLevel.Restricted;
                return true;
            default:
                level = PodSecurityLevel.Restricted;
                return false;
        }
    }
}
