namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>Something that limited a scan.</summary>
/// <param name="Package">The package concerned (a purl, or a name), when there is one.</param>
/// <param name="AdvisoryId">The advisory concerned, for match problems.</param>
public sealed record ScanWarning(ScanWarningKind Kind, string Message, string? Package = null, string? AdvisoryId = null);
