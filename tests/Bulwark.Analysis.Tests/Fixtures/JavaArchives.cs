using System.IO.Compression;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>Java archives made with Info-ZIP's <c>zip</c>, as build tools lay them out.</summary>
internal static class JavaArchives
{
    /// <summary>A war with its own pom.properties and <paramref name="libraryJar"/> in WEB-INF/lib.</summary>
    public static async Task WarAsync(string libraryJar, string target)
    {
        var staging = Staging();
        Directory.CreateDirectory(Path.Combine(staging, "WEB-INF/lib"));
        Directory.CreateDirectory(Path.Combine(staging, "META-INF/maven/com.example/shop"));
        await File.WriteAllTextAsync(Path.Combine(staging, "META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\r\nCreated-By: Maven WAR Plugin 3.4.0\r\n\r\n");
        await File.WriteAllTextAsync(Path.Combine(staging, "META-INF/maven/com.example/shop/pom.properties"),
            "#Created by Apache Maven 3.9.6\ngroupId=com.example\nartifactId=shop\nversion=2.0.1\n");
        await File.WriteAllTextAsync(Path.Combine(staging, "WEB-INF/web.xml"), "<web-app/>\n");
        File.Copy(libraryJar, Path.Combine(staging, "WEB-INF/lib/commons-lang3-3.12.0.jar"));
        await ZipAsync(staging, target);
    }

    /// <summary>A jar with no pom.properties whose manifest names it (Implementation-Title/-Version).</summary>
    public static async Task ManifestOnlyJarAsync(string target, string title, string version)
    {
        var staging = Staging();
        Directory.CreateDirectory(Path.Combine(staging, "META-INF"));
        await File.WriteAllTextAsync(Path.Combine(staging, "META-INF/MANIFEST.MF"),
            $"Manifest-Version: 1.0\r\nImplementation-Title: {title}\r\nImplementation-Version: {version}\r\nImplementation-Vendor-Id: org.exa\r\n mple\r\n\r\nName: x/\r\nImplementation-Version: 9.9\r\n");
        await File.WriteAllTextAsync(Path.Combine(staging, "Tool.class"), "not really a class");
        await ZipAsync(staging, target);
    }

    /// <summary>Zips a directory's content with Info-ZIP (<c>zip -r -X</c>).</summary>
    public static async Task ZipAsync(string directory, string target)
    {
        if (File.Exists(target))
        {
            File.Delete(target);
        }

        await LanguageFixtures.RunInAsync(directory, "zip", ["-q", "-r", "-X", Path.GetFullPath(target), "."]);
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>An in-memory zip (for hostile and synthetic cases only).</summary>
    public static byte[] InMemory(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private static string Staging() => Directory.CreateTempSubdirectory("bulwark-jar-").FullName;
}
