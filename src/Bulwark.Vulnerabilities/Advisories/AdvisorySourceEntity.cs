namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>A feed the store was filled from, with what the last import saw and counted.</summary>
public sealed class AdvisorySourceEntity
{
    public required string Name { get; set; }

    public string? Url { get; set; }

    public string? ETag { get; set; }

    /// <summary>The server's Last-Modified, as sent (an HTTP date), for If-Modified-Since.</summary>
    public string? LastModified { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public int AdvisoryCount { get; set; }

    public int PackageCount { get; set; }

    public int RejectedCount { get; set; }
}
