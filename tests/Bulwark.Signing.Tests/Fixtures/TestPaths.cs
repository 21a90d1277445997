namespace Bulwark.Signing.Tests.Fixtures;

/// <summary>The repository root, its git-ignored cache (<c>/.cache/</c>) and the shared test data beside it.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Cache { get; } = Directory.CreateDirectory(Path.Combine(RepositoryRoot, ".cache")).FullName;

    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

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
