namespace Bulwark.Analysis.Secrets;

/// <summary>How layer files and the image config are searched for secrets, and what the user allows.</summary>
public sealed record SecretScanOptions
{
    /// <summary>False turns secret scanning off (files and config).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Files larger than this are not searched (logs, data files).</summary>
    public long MaxFileBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Longer lines are searched in overlapping windows of this many characters.</summary>
    public int MaxLineLength { get; init; } = 4096;

    /// <summary>Findings kept per file or config; the rest are counted in a warning.</summary>
    public int MaxFindingsPerFile { get; init; } = 100;

    /// <summary>Skip the noise paths (documentation, locales, language test data…) listed in docs/analysis.md.</summary>
    public bool SkipNoisePaths { get; init; } = true;

    /// <summary>Globs of paths never searched (<c>app/fixtures/**</c>, <c>**/*.pem</c>).</summary>
    public IReadOnlyList<string> AllowPaths { get; init; } = [];

    /// <summary>Rule ids never reported (<c>jwt</c>, <c>generic-secret-assignment</c>).</summary>
    public IReadOnlyList<string> AllowRuleIds { get; init; } = [];

    /// <summary>Regular expressions (.NET syntax) on the secret value; a value one of them matches is not reported.</summary>
    public IReadOnlyList<string> AllowMatches { get; init; } = [];

    public static SecretScanOptions Default { get; } = new();
}
