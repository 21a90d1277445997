namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// A manifest that cannot be read: not YAML or JSON, over a limit, not a Kubernetes object, or a field of the wrong
/// type. The message names the file, the document (1-based) and, where known, the line.
/// </summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string source, int? document, long? line, string problem)
        : base(Describe(source, document, line, problem))
    {
        FileName = source;
        Document = document;
        Line = line;
        Problem = problem;
    }

    public ManifestException()
    {
        FileName = "";
        Problem = "";
    }

    public ManifestException(string message)
        : base(message)
    {
        FileName = "";
        Problem = message;
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "";
        Problem = message;
    }

    /// <summary>The file (or other name) the manifest came from.</summary>
    public string FileName { get; }

    public int? Document { get; }

    public long? Line { get; }

    public string Problem { get; }

    private static string Describe(string source, int? document, long? line, string problem)
    {
        var where = source;
        if (document is { } d)
        {
            where += $": document {d}";
        }

        if (line is { } l and > 0)
        {
            where += $" (line {l})";
        }

        return $"{where}: {problem}";
    }
}
