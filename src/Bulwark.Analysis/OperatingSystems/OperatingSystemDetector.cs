using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.OperatingSystems;

/// <summary>
/// Identifies the distribution: <c>etc/os-release</c>, else <c>usr/lib/os-release</c>, refined or replaced by
/// the distributions' own files (<c>debian_version</c>, <c>alpine-release</c>, <c>redhat-release</c>…) when
/// os-release is missing (old or stripped images).
/// </summary>
public static partial class OperatingSystemDetector
{
    private const string DebianVersion = "etc/debian_version";
    private const string AlpineRelease = "etc/alpine-release";

    private static readonly (string Path, string Id)[] RedHatFamilyFiles =
    [
        ("etc/centos-release", "centos"),
        ("etc/rocky-release", "rocky"),
        ("etc/almalinux-release", "almalinux"),
        ("etc/fedora-release", "fedora"),
        ("etc/oracle-release", "ol"),
        ("etc/redhat-release", "rhel"),
        ("etc/system-release", "amzn"),
    ];

    public static FileSelector Selector { get; } = new()
    {
        Paths = ["etc/os-release", "usr/lib/os-release", DebianVersion, AlpineRelease, "etc/lsb-release", .. RedHatFamilyFiles.Select(f => f.Path)],
    };

    public static async Task<OperatingSystemInfo?> DetectAsync(ImageFileSystem files, Action<ImageFile> markRead, CancellationToken cancellationToken)
    {
        async Task<string?> Read(string path)
        {
            if (files.GetFile(path) is not { } file || file.Size > 64 * 1024)
            {
                return null;
            }

            markRead(file);
            return Encoding.UTF8.GetString(await file.Content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false)).Trim();
        }

        var osRelease = await Read("etc/os-release").ConfigureAwait(false) ?? await Read("usr/lib/os-release").ConfigureAwait(false);
        if (osRelease is not null)
        {
            var fields = OsReleaseParser.Parse(osRelease);
            if (fields.TryGetValue("ID", out var id) && id.Length > 0)
            {
                var info = new OperatingSystemInfo
                {
                    Id = id,
                    VersionId = fields.GetValueOrDefault("VERSION_ID"),
                    PrettyName = fields.GetValueOrDefault("PRETTY_NAME"),
                    Codename = fields.GetValueOrDefault("VERSION_CODENAME"),
                    IdLike = fields.TryGetValue("ID_LIKE", out var like) ? like.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [],
                };
                if (id == "debian" && await Read(DebianVersion).ConfigureAwait(false) is { } debianVersion)
                {
                    // Debian testing/sid has no VERSION_ID; debian_version says e.g. "trixie/sid" there and "12.5" on stable.
                    info = info with { DetailedVersion = debianVersion, VersionId = info.VersionId ?? MajorVersion(debianVersion) };
                }
                else if (id == "alpine" && await Read(AlpineRelease).ConfigureAwait(false) is { } alpineVersion)
                {
                    info = info with { DetailedVersion = alpineVersion };
                }

                return info;
            }
        }

        if (await Read(AlpineRelease).ConfigureAwait(false) is { Length: > 0 } alpine)
        {
            return new OperatingSystemInfo { Id = "alpine", VersionId = alpine, DetailedVersion = alpine, PrettyName = $"Alpine Linux v{alpine}" };
        }

        foreach (var (path, id) in RedHatFamilyFiles)
        {
            if (await Read(path).ConfigureAwait(false) is { Length: > 0 } release)
            {
                var version = ReleaseVersion().Match(release);
                return new OperatingSystemInfo { Id = id, VersionId = version.Success ? version.Value : null, PrettyName = release };
            }
        }

        if (await Read(DebianVersion).ConfigureAwait(false) is { Length: > 0 } debian)
        {
            return new OperatingSystemInfo { Id = "debian", VersionId = MajorVersion(debian), DetailedVersion = debian };
        }

        return null;
    }

    private static string? MajorVersion(string debianVersion)
    {
        var match = ReleaseVersion().Match(debianVersion);
        return match.Success ? match.Value.Split('.')[0] : null;
    }

    [GeneratedRegex(@"\d+(\.\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex ReleaseVersion();
}
