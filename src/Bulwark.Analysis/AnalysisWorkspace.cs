namespace Bulwark.Analysis;

/// <summary>
/// The temp area of one analysis: a fresh private directory where large wanted files are spilled. Names inside
/// are generated counters, never taken from the image, so nothing is written outside it. Deleted on dispose.
/// </summary>
public sealed class AnalysisWorkspace : IDisposable
{
    private int counter;

    public AnalysisWorkspace(string? parent = null)
    {
        var root = Path.Combine(parent ?? Path.GetTempPath(), "bulwark-analysis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Root = root;
    }

    public string Root { get; }

    /// <summary>A new file path inside the workspace.</summary>
    public string NewFilePath(string extension = ".bin") =>
        Path.Combine(Root, Interlocked.Increment(ref counter).ToString(System.Globalization.CultureInfo.InvariantCulture) + extension);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
