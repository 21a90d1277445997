namespace Bulwark.Vulnerabilities.Osv;

/// <summary>A severity entry: <c>CVSS_V3</c>/<c>CVSS_V4</c> with a vector, or a vendor type (e.g. <c>Ubuntu</c>) with its label.</summary>
public sealed record OsvSeverity(string Type, string Score);
