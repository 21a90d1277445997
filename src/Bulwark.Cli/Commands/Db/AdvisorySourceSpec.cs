using System.Text.RegularExpressions;

namespace Bulwark.Cli.Commands.Db;

/// <summary>
/// One <c>--source</c> of <c>bulwark db update</c>: <c>osv:URL|FILE|DIR</c>, <c>debian:URL|FILE</c> or
/// <c>alpine:URL|FILE</c>; a bare URL, <c>.zip</c> or directory is OSV. The store's source name is derived from it
/// (<c>osv:PyPI</c> for <c>…/PyPI/all.zip</c> or <c>PyPI.zip</c>, <c>debian-tracker</c>, <c>alpine:v3.19:main</c>), so
/// that updating the same feed again replaces its advisories.
/// </summary>
internal sealed partial record AdvisorySourceSpec(AdvisorySourceKind Kind, string Name, string Location)
{
    /// <summary>The OSV ecosystems <c>bulwark scan</c> matches (besides Debian and Alpine, which come from their own feeds).</summary>
    public static IReadOnlyList<string> DefaultOsvEcosystems { get; } =
        ["Go", "PyPI", "crates.io", "npm", "NuGet", "Maven", "RubyGems", "Packagist", "Ubuntu", "Rocky Linux", "AlmaLinux", "Wolfi", "Chainguard", "Mageia", "openSUSE"];

    /// <summary>The Alpine releases whose secdb is fetched by default.</summary>
    public static IReadOnlyList<string> DefaultAlpineReleases { get; } = ["v3.19", "v3.20", "v3.21", "v3.22", "v3.23"];

    private static readonly string[] AlpineRepositories = ["main", "community"];

    public const string OsvBucket = "https://osv-vulnerabilities.storage.googleapis.com/";
    public const string DebianTrackerUrl = "https://security-tracker.debian.org/tracker/data/json";
    public const string AlpineSecDb = "https://secdb.alpinelinux.org/";

    public bool IsUrl => Location.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || Location.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<AdvisorySourceSpec> Defaults() =>
    [
        .. DefaultOsvEcosystems.Select(e => new AdvisorySourceSpec(AdvisorySourceKind.Osv, "osv:" + e, OsvBucket + Uri.EscapeDataString(e) + "/all.zip")),
        new(AdvisorySourceKind.Debian, "debian-tracker", DebianTrackerUrl),
        .. DefaultAlpineReleases.SelectMany(r => AlpineRepositories.Select(repo =>
            new AdvisorySourceSpec(AdvisorySourceKind.Alpine, $"alpine:{r}:{repo}", $"{AlpineSecDb}{r}/{repo}.json"))),
    ];

    /// <exception cref="FormatException">The value names no kind and is not recognisably OSV.</exception>
    public static AdvisorySourceSpec Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var (kind, location) = value switch
        {
            _ when value.StartsWith("osv:", StringComparison.Ordinal) => (AdvisorySourceKind.Osv, value[4..]),
            _ when value.StartsWith("debian:", StringComparison.Ordinal) => (AdvisorySourceKind.Debian, value[7..]),
            _ when value.StartsWith("alpine:", StringComparison.Ordinal) => (AdvisorySourceKind.Alpine, value[7..]),
            _ when value.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || Directory.Exists(value) => (AdvisorySourceKind.Osv, value),
            _ => throw new FormatException($"'{value}': say which feed it is: osv:URL|FILE|DIR, debian:URL|FILE or alpine:URL|FILE"),
        };
        if (location.Length == 0)
        {
            throw new FormatException($"'{value}': no URL or path after the kind");
        }

        var spec = new AdvisorySourceSpec(kind, string.Empty, location);
        if (!spec.IsUrl)
        {
            spec = spec with { Location = Path.GetFullPath(location) };
        }
        else if (!Uri.TryCreate(location, UriKind.Absolute, out _))
        {
            throw new FormatException($"'{location}' is not a valid URL");
        }

        return spec with { Name = NameOf(kind, spec.Location, spec.IsUrl) };
    }

    /// <summary>The spec that re-imports a stored source (for the automatic update of <c>bulwark scan</c>); null when its kind is unknown.</summary>
    public static AdvisorySourceSpec? FromStored(string name, string? url)
    {
        if (url is null)
        {
            return null;
        }

        var kind = name.StartsWith("osv:", StringComparison.Ordinal) ? AdvisorySourceKind.Osv
            : name.StartsWith("debian", StringComparison.Ordinal) ? AdvisorySourceKind.Debian
            : name.StartsWith("alpine:", StringComparison.Ordinal) ? AdvisorySourceKind.Alpine
            : (AdvisorySourceKind?)null;
        return kind is { } k ? new AdvisorySourceSpec(k, name, url) : null;
    }

    private static string NameOf(AdvisorySourceKind kind, string location, bool url)
    {
        var path = url ? new Uri(location).AbsolutePath : location.Replace('\\', '/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var last = segments.Length > 0 ? segments[^1] : "source";
        var parent = segments.Length > 1 ? segments[^2] : null;
        switch (kind)
        {
            case AdvisorySourceKind.Osv:
                // …/PyPI/all.zip → osv:PyPI ; PyPI.zip → osv:PyPI ; ./advisories/ → osv:advisories
                var stem = last.Equals("all.zip", StringComparison.OrdinalIgnoreCase) && parent is not null
                    ? parent
                    : Path.GetFileNameWithoutExtension(last);
                return "osv:" + stem;
            case AdvisorySourceKind.Debian:
                return "debian-tracker";
            default:
                // …/v3.19/main.json → alpine:v3.19:main
                var repo = Path.GetFileNameWithoutExtension(last);
                return parent is not null && AlpineRelease().IsMatch(parent) ? $"alpine:{parent}:{repo}" : "alpine:" + repo;
        }
    }

    [GeneratedRegex(@"^v[0-9]+\.[0-9]+$")]
    private static partial Regex AlpineRelease();
}
