namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>Locates the checkout this test assembly was built from (the folder holding Bulwark.slnx).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Bulwark.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Bulwark.slnx above {AppContext.BaseDirectory}");
    }
}
