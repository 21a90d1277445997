namespace Bulwark.Analysis.Lockfiles;

/// <summary>A lock file is malformed or in a format that is not understood; it becomes a warning naming the file and line.</summary>
public sealed class LockfileFormatException : Exception
{
    public LockfileFormatException()
    {
    }

    public LockfileFormatException(string message)
        : base(message)
    {
    }

    public LockfileFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LockfileFormatException(string message, int? line, Exception? innerException = null)
        : base(message, innerException)
    {
        Line = line;
    }

    /// <summary>The 1-based line where the problem is, when known.</summary>
    public int? Line { get; }
}
