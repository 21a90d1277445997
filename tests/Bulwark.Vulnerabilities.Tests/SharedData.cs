namespace Bulwark.Vulnerabilities.Tests;

/// <summary>The shared test data at ../shared/data relative to the repository root (the folder with Bulwark.slnx).</summary>
internal static class SharedData
{
    public static string Directory { get; } = Locate();

    public static string Osv(string ecosystem) => Path.Combine(Directory, "osv", ecosystem + ".zip");

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
