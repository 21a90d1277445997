namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>
/// Builds a cached artifact once across test processes: an exclusive lock file, and a stamp file written only
/// after the build succeeded (so an interrupted build is redone).
/// </summary>
internal static class CacheLock
{
    public static async Task EnsureAsync(string name, string version, Func<Task> build)
    {
        var stamp = Path.Combine(TestPaths.Cache, name + ".complete");
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == version)
        {
            return;
        }

        await using var lockFile = await AcquireAsync(Path.Combine(TestPaths.Cache, name + ".lock"));
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == version)
        {
            return;
        }

        File.Delete(stamp);
        await build();
        await File.WriteAllTextAsync(stamp, version);
    }

    private static async Task<FileStream> AcquireAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 3000)
            {
                await Task.Delay(200);
            }
        }
    }
}
