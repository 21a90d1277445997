using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>One vulnerability of one package of the image.</summary>
/// <param name="Remediation">What to do, for this image: the package manager's upgrade, or "rebuild on a newer base image" when
/// the package comes from the base image and the distribution has the fix.</param>
public sealed record ScanFinding(ScannedPackage Package, Finding Finding, string Remediation);
