namespace Bulwark.Vulnerabilities.Osv;

/// <summary>A range of affected versions: its type and its events in the order the record lists them.</summary>
public sealed record OsvRange(OsvRangeType Type, IReadOnlyList<OsvEvent> Events);
