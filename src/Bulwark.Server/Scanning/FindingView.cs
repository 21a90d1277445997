using System.Text.Json;

namespace Bulwark.Server.Scanning;

/// <summary>One finding of an image: when it first appeared, when it was resolved (null while open), and the scanner's detail.</summary>
public sealed record FindingView(
    string Id,
    string Package,
    string Version,
    string Severity,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset? ResolvedAt,
    JsonElement Detail);
