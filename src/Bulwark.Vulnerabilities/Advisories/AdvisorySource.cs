namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>A feed the database was filled from: where from, the validators for the next conditional request, and what the last import counted.</summary>
public sealed record AdvisorySource(
    string Name,
    string? Url,
    string? ETag,
    string? LastModified,
    DateTimeOffset ImportedAt,
    int AdvisoryCount,
    int PackageCount,
    int RejectedCount);
