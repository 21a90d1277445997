namespace Bulwark.Server.Scanning;

/// <summary>A scan job ended for good: done (<see cref="Error"/> null) or failed after its last attempt.</summary>
public sealed record ScanFinishedEvent(string Repository, string ManifestDigest, string? Error)
{
    public bool Succeeded => Error is null;
}
