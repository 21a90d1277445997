namespace Bulwark.Server.Policy;

/// <summary>Where an image stands with its policy. Anything but <see cref="Pass"/> keeps it quarantined.</summary>
public enum DecisionStatus
{
    /// <summary>Pushed, not yet scanned and evaluated.</summary>
    Pending,

    /// <summary>Every enforced rule of every applicable policy passed.</summary>
    Pass,

    /// <summary>An enforced rule failed (or the scan failed for good).</summary>
    Fail,
}
