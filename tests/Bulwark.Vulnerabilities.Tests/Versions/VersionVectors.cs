namespace Bulwark.Vulnerabilities.Tests.Versions;

/// <summary>Reads the shared version-ordering vectors: one "A op B" comparison per line.</summary>
internal static class VersionVectors
{
    public static string Directory { get; } = Locate();

    public static IEnumerable<VersionVector> Read(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts.Length != 3 || parts[1] is not ("<" or "=" or ">"))
            {
                throw new FormatException($"{fileName}:{number}: not a comparison: '{line}'");
            }

            var expected = parts[1] switch
            {
                "<" => -1,
                "=" => 0,
                _ => 1,
            };
            yield return new VersionVector(fileName, number, line, parts[0], parts[2], expected);
        }
    }

    // Tests find the data at ../shared/data/version-vectors relative to the repository root (the folder with Bulwark.slnx).
    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "version-vectors"));
            }
        }

        throw new InvalidOperationException("Bulwark.slnx not found above " + AppContext.BaseDirectory);
    }
}
