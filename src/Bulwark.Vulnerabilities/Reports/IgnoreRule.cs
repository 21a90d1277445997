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

    /// <summary>
    /// Whether the entry ignores a configuration finding: <see cref="Id"/> is the check id (<c>BWK-CFG-004</c>), and
    /// <see cref="Path"/>, when given, the file (<c>/usr/bin/passwd</c>, or a directory ending in <c>/</c>). An entry
    /// narrowed to a package or purl never matches one.
    /// </summary>
    public bool Matches(Bulwark.Analysis.Configuration.ConfigFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return string.Equals(finding.Id, Id, StringComparison.OrdinalIgnoreCase) && MatchesFile(finding.Path);
    }

    /// <summary>Whether the entry ignores a secret: <see cref="Id"/> is the secret rule id (<c>aws-access-key-id</c>), <see cref="Path"/> the file.</summary>
    public bool Matches(Bulwark.Analysis.Secrets.SecretFinding secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return string.Equals(secret.RuleId, Id, StringComparison.OrdinalIgnoreCase) && MatchesFile(secret.Path);
    }

    // Analysis paths are relative to the image root; reports and ignore entries write them from "/".
    private bool MatchesFile(string? relative)
    {
        if (Package is not null || Purl is not null)
        {
            return false;
        }

        if (Path is null)
        {
            return true;
        }

        if (relative is null)
        {
            return false;
        }

        var path = "/" + relative.TrimStart('/');
        return Path.EndsWith('/') ? path.StartsWith(Path, StringComparison.Ordinal) : path == Path;
    }

    // A purl without version or qualifiers covers every version of the package.
    private static bool PurlMatches(string rule, string purl) =>
        string.Equals(rule, purl, StringComparison.Ordinal)
        || (!rule.Contains('@', StringComparison.Ordinal) && purl.StartsWith(rule + "@", StringComparison.Ordinal))
        || (!rule.Contains('?', StringComparison.Ordinal) && purl.StartsWith(rule + "?", StringComparison.Ordinal));
}
