namespace Bulwark.Vulnerabilities.Versions;

/// <summary>A version string that does not follow its ecosystem's grammar; the message says which rule it breaks.</summary>
public sealed class VersionFormatException : FormatException
{
    public VersionFormatException()
    {
    }

    public VersionFormatException(string message)
        : base(message)
    {
    }

    public VersionFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static VersionFormatException For(string ecosystem, string? version, string reason) =>
        new($"invalid {ecosystem} version '{Shorten(version)}': {reason}");

    private static string Shorten(string? value) =>
        value is null ? string.Empty : value.Length <= 80 ? value : value[..80] + "…";
}
