namespace Bulwark.Server.Configuration;

/// <summary>
/// One advisory feed: <c>kind</c> <c>osv</c> (a bulk <c>all.zip</c> URL, or a file, zip or directory), <c>debian</c>
/// (Security Tracker JSON file) or <c>alpine</c> (secdb JSON file); exactly one of <c>url</c> and <c>path</c>.
/// </summary>
public sealed class AdvisorySourceSettings
{
    public string Name { get; set; } = "";

    public string Kind { get; set; } = "osv";

    public string? Url { get; set; }

    public string? Path { get; set; }
}
