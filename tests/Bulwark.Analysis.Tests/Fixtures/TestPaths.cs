namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>Where the repository and its git-ignored build cache (<c>/.cache/</c>) are.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Cache { get; } = Directory.CreateDirectory(Path.Combine(RepositoryRoot, ".cache")).FullName;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bulwark.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Bulwark.slnx not found above the test directory");
    }
}
