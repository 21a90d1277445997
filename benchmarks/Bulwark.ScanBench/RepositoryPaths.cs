namespace Bulwark.ScanBench;

/// <summary>The repository (the directory with <c>Bulwark.slnx</c> above the tool), its <c>.cache/</c> and the shared data beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Cache => Path.Combine(Root, ".cache");

    /// <summary><c>../shared/data</c> relative to the repository, as the tests read it.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bulwark.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
