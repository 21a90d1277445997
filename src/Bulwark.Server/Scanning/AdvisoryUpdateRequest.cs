using Bulwark.Server.Configuration;

namespace Bulwark.Server.Scanning;

/// <summary>Body of <c>POST /api/v1/advisories/update</c>: the sources to import now; empty means the configured ones.</summary>
public sealed record AdvisoryUpdateRequest(List<AdvisorySourceSettings>? Sources);
