namespace Bulwark.Vulnerabilities.Osv;

/// <summary>The affected package: OSV ecosystem (with a release suffix for distributions, e.g. <c>Debian:12</c>), name and optional purl.</summary>
public sealed record OsvPackage(string Ecosystem, string Name, string? Purl);
