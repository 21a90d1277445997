namespace Bulwark.Vulnerabilities.Osv;

/// <summary>One <c>affected[]</c> entry: the package, the version ranges and explicit versions it covers.</summary>
public sealed record OsvAffected
{
    public required OsvPackage Package { get; init; }

    public IReadOnlyList<OsvRange> Ranges { get; init; } = [];

    public IReadOnlyList<string> Versions { get; init; } = [];

    public IReadOnlyList<OsvSeverity> Severity { get; init; } = [];

    /// <summary>A distribution's own rating (<c>ecosystem_specific.urgency</c> in Debian records, <c>severity</c> elsewhere).</summary>
    public string? VendorSeverity { get; init; }

    /// <summary>
    /// A distribution's decision when it has no fix (<c>ecosystem_specific.status</c>, written by the Debian tracker
    /// import); null when the ranges alone say whether a fix exists.
    /// </summary>
    public DistroStatus? Status { get; init; }
}
