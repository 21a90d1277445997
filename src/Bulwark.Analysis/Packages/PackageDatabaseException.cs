namespace Bulwark.Analysis.Packages;

/// <summary>A package database is corrupt or in a format that is not understood; its analyzer reports a warning.</summary>
public sealed class PackageDatabaseException : Exception
{
    public PackageDatabaseException()
    {
    }

    public PackageDatabaseException(string message)
        : base(message)
    {
    }

    public PackageDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
