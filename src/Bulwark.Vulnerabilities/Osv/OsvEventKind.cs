namespace Bulwark.Vulnerabilities.Osv;

/// <summary>The OSV range event kinds (osv-schema "Evaluation").</summary>
public enum OsvEventKind
{
    /// <summary>The first affected version; <c>0</c> means every earlier version.</summary>
    Introduced,

    /// <summary>The first version that is no longer affected (exclusive bound).</summary>
    Fixed,

    /// <summary>The last affected version (inclusive bound) when no fix exists or is known.</summary>
    LastAffected,

    /// <summary>An upper limit on the range (exclusive), mostly for GIT ranges.</summary>
    Limit,
}
