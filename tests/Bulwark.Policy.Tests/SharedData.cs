namespace Bulwark.Policy.Tests;

/// <summary>The shared test data folder (<c>../shared/data</c> next to the repository root).</summary>
internal static class SharedData
{
    public static string Directory { get; } = Locate();

    public static string Pss => Path.Combine(Directory, "pss");

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            }
        }

        throw new InvalidOperationException("Bulwark.slnx not found above " + AppContext.BaseDirectory);
    }
}
