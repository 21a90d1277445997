namespace Bulwark.Analysis;

/// <summary>
/// Which files of the final view an analyzer reads: exact paths and globs, relative to the image root
/// (<c>var/lib/dpkg/status</c>, <c>var/lib/dpkg/info/*.list</c>, <c>**/package.json</c>). In a glob, <c>*</c>
/// and <c>?</c> stay inside one path segment and <c>**</c> spans any number of segments.
/// </summary>
public sealed class FileSelector
{
    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> Globs { get; init; } = [];

    /// <summary>
    /// Keep every layer's version of the matching files, not only the final one, so that an analyzer can tell
    /// which layer first contained a record (package databases).
    /// </summary>
    public bool KeepLayerHistory { get; init; }

    private PathGlob[]? compiled;

    public bool Matches(string path)
    {
        foreach (var exact in Paths)
        {
            if (string.Equals(exact, path, StringComparison.Ordinal))
            {
                return true;
            }
        }

        compiled ??= [.. Globs.Select(PathGlob.Compile)];
        foreach (var glob in compiled)
        {
            if (glob.Matches(path))
            {
                return true;
            }
        }

        return false;
    }
}
