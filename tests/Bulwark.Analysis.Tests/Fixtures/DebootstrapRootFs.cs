namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>
/// A real Debian 12 root filesystem from <c>debootstrap --variant=minbase bookworm</c>, built once into
/// <c>.cache/debootstrap-bookworm/</c>. Its dpkg database, read by <c>dpkg-query</c>, is the ground truth.
/// </summary>
internal static class DebootstrapRootFs
{
    private const string Name = "debootstrap-bookworm";

    public static string Root { get; } = Path.Combine(TestPaths.Cache, Name);

    public static async Task<string> GetAsync()
    {
        await CacheLock.EnsureAsync(Name, "1", async () =>
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }

            var staging = Root + ".partial";
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            await ProcessRunner.RunAsync("debootstrap", "--variant=minbase", "bookworm", staging, DebianMirror());
            Directory.Move(staging, Root);
        });
        return Root;
    }

    /// <summary>(package, version, source package, source version) of every installed package, from dpkg-query.</summary>
    public static async Task<IReadOnlyList<(string Name, string Version, string SourceName, string SourceVersion)>> GroundTruthAsync()
    {
        var root = await GetAsync();
        var output = await ProcessRunner.RunAsync("dpkg-query", $"--admindir={root}/var/lib/dpkg", "-W",
            "-f", "${db:Status-Abbrev}|${Package}|${Version}|${source:Package}|${source:Version}\n");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('|'))
            .Where(f => f[0].StartsWith("ii", StringComparison.Ordinal))
            .Select(f => (f[1], f[2], f[3], f[4]))];
    }

    /// <summary>The Debian mirror apt on this machine uses (deb822 <c>URIs:</c> or a one-line <c>deb</c> entry).</summary>
    private static string DebianMirror()
    {
        var files = Directory.Exists("/etc/apt/sources.list.d") ? Directory.GetFiles("/etc/apt/sources.list.d") : [];
        foreach (var file in files.Prepend("/etc/apt/sources.list").Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file))
            {
                var trimmed = line.Trim();
                var uri = trimmed.StartsWith("URIs:", StringComparison.Ordinal) ? trimmed[5..].Trim().Split(' ')[0]
                    : trimmed.StartsWith("deb ", StringComparison.Ordinal) ? trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault(p => !p.StartsWith('[')) : null;
                if (uri is not null && uri.EndsWith("/debian", StringComparison.Ordinal))
                {
                    return uri;
                }
            }
        }

        return "http://deb.debian.org/debian";
    }
}
