namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>The distribution of the scanned image and the advisory ecosystem its packages were matched in.</summary>
/// <param name="Id">os-release <c>ID</c> (<c>debian</c>, <c>alpine</c>…).</param>
/// <param name="Version">os-release <c>VERSION_ID</c>, or the codename when there is none.</param>
/// <param name="Name">os-release <c>PRETTY_NAME</c>.</param>
/// <param name="Ecosystem">The OSV ecosystem (<c>Debian:12</c>, <c>Alpine:v3.19</c>); null when the distribution is not supported.</param>
public sealed record ScanOperatingSystem(string Id, string? Version, string? Name, string? Ecosystem);
