using System.Diagnostics;

namespace Bulwark.ScanBench;

/// <summary>
/// The Debian 12 root filesystem the analysis tests build (<c>.cache/debootstrap-bookworm</c>, from
/// <c>debootstrap --variant=minbase bookworm</c>, stamped <c>debootstrap-bookworm.complete</c>). Built here the same
/// way when it is absent, so the tests and the benchmark share one copy.
/// </summary>
internal static class DebootstrapFixture
{
    private const string Name = "debootstrap-bookworm";
    private const string StampVersion = "1";

    public static async Task<string> GetAsync(string? given, TextWriter log, CancellationToken cancellationToken)
    {
        if (given is not null)
        {
            return Directory.Exists(given) ? Path.GetFullPath(given) : throw new BenchUsageException($"--rootfs {given} is not a directory");
        }

        var root = Path.Combine(RepositoryPaths.Cache, Name);
        var stamp = Path.Combine(RepositoryPaths.Cache, Name + ".complete");
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken) == StampVersion && Directory.Exists(root))
        {
            return root;
        }

        Directory.CreateDirectory(RepositoryPaths.Cache);
        var staging = root + ".partial";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        await log.WriteLineAsync($"building {root} with debootstrap (once; the analysis tests use the same copy)");
        using (var process = Process.Start(new ProcessStartInfo("debootstrap", ["--variant=minbase", "bookworm", staging, Mirror()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("debootstrap did not start"))
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"debootstrap failed ({process.ExitCode}): {await stderr}{await stdout}");
            }
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.Move(staging, root);
        await File.WriteAllTextAsync(stamp, StampVersion, cancellationToken);
        return root;
    }

    /// <summary>The Debian mirror apt uses here (deb822 <c>URIs:</c> or a one-line <c>deb</c> entry), else deb.debian.org.</summary>
    private static string Mirror()
    {
        var files = Directory.Exists("/etc/apt/sources.list.d") ? Directory.GetFiles("/etc/apt/sources.list.d") : [];
        foreach (var file in files.Prepend("/etc/apt/sources.list").Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Select(l => l.Trim()))
            {
                var uri = line.StartsWith("URIs:", StringComparison.Ordinal) ? line[5..].Trim().Split(' ')[0]
                    : line.StartsWith("deb ", StringComparison.Ordinal) ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault(p => !p.StartsWith('['))
                    : null;
                if (uri is not null && uri.EndsWith("/debian", StringComparison.Ordinal))
                {
                    return uri;
                }
            }
        }

        return "http://deb.debian.org/debian";
    }
}
