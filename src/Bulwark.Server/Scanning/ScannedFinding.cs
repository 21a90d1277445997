using System.Security.Cryptography;
using System.Text;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Server.Scanning;

/// <summary>One finding as the server stores it: the identifying fields, the rating, and the scanner's full JSON.</summary>
public sealed record ScannedFinding(
    string VulnerabilityId,
    string PackageType,
    string PackageName,
    string InstalledVersion,
    SeverityRating Severity,
    string Document)
{
    /// <summary>Stable identity across re-matches (hex SHA-256, so that long names fit an indexed column).</summary>
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\n', VulnerabilityId, PackageType, PackageName, InstalledVersion))));
}
