namespace Bulwark.Vulnerabilities.Osv;

/// <summary>One range event, e.g. <c>{"introduced": "0"}</c> or <c>{"fixed": "1.2.3"}</c>.</summary>
public readonly record struct OsvEvent(OsvEventKind Kind, string Version);
