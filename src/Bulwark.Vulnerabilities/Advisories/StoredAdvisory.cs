using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>An advisory read back from the store, with the source it came from.</summary>
public sealed record StoredAdvisory(string Source, OsvVulnerability Advisory);
