using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>One record read from a feed: the advisory, or why it was rejected. <paramref name="Origin"/> names the file or entry.</summary>
public sealed record AdvisoryEntry(string Origin, OsvVulnerability? Advisory, string? Error)
{
    public static AdvisoryEntry Accepted(string origin, OsvVulnerability advisory) => new(origin, advisory, null);

    public static AdvisoryEntry Rejected(string origin, string error) => new(origin, null, error);
}
