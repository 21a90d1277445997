namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// One entry of an ignore file: the advisory (by id or any alias), optionally narrowed to a package name, a purl or
/// the file the package was found in, with the mandatory reason and an optional last day of validity.
/// </summary>
public sealed record IgnoreRule
{
    public required string Id { get; init; }

    public string? Package { get; init; }

    public string? Purl { get; init; }

    /// <summary>The FoundIn path (<c>/app/requirements.txt</c>); a value ending in <c>/</c> covers everything under it.</summary>
    public string? Path { get; init; }

    public required string Reason { get; init; }

    /// <summary>The last day (UTC) the entry applies; from the next day on it is expired and reported.</summary>
    public DateOnly? Expires { get; init; }

    /// <summary>The line of the entry in its file.</summary>
    public int Line { get; init; }

    public bool IsExpired(DateOnly today) => Expires is { } last && today > last;

    public bool Matches(Scanning.ScanFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (!finding.Finding.Ids.Contains(Id, StringComparer.OrdinalIgnoreCase) && !string.Equals(finding.Finding.Id, Id, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var package = finding.Package;
        return (Package is null || string.Equals(Package, package.Name, StringComparison.Ordinal))
            && (Purl is null || PurlMatches(Purl, package.Purl))
            && (Path is null || (Path.EndsWith('/') ? package.FoundIn.StartsWith(Path, StringComparison.Ordinal) : package.FoundIn == Path));
    }

    // A purl without version or qualifiers covers every version of the package.
    private static bool PurlMatches(string rule, string purl) =>
        string.Equals(rule, purl, StringComparison.Ordinal)
        || (!rule.Contains('@', StringComparison.Ordinal) && purl.StartsWith(rule + "@", StringComparison.Ordinal))
        || (!rule.Contains('?', StringComparison.Ordinal) && purl.StartsWith(rule + "?", StringComparison.Ordinal));
}
