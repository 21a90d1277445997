using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>Checks shared by every parser, applied before any ecosystem rule so that hostile input stays cheap.</summary>
internal static class VersionText
{
    /// <summary>
    /// Longest version string accepted. Real versions are far shorter (the longest in the Debian and Maven archives
    /// are around 100 characters); the cap keeps parsing and comparison work bounded.
    /// </summary>
    public const int MaxLength = 256;

    /// <summary>Rejects null, empty, over-long strings, and any whitespace or control character.</summary>
    public static bool TryCheck([NotNullWhen(true)] string? text, [NotNullWhen(false)] out string? failure)
    {
        if (string.IsNullOrEmpty(text))
        {
            failure = "a version must not be empty";
            return false;
        }

        if (text.Length > MaxLength)
        {
            failure = $"a version must not be longer than {MaxLength} characters";
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                failure = "a version must not contain whitespace or control characters";
                return false;
            }
        }

        failure = null;
        return true;
    }

    /// <summary>Like <see cref="TryCheck"/>, and also requires printable ASCII only.</summary>
    public static bool TryCheckAscii([NotNullWhen(true)] string? text, [NotNullWhen(false)] out string? failure)
    {
        if (!TryCheck(text, out failure))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAscii(c))
            {
                failure = "a version must contain ASCII characters only";
                return false;
            }
        }

        return true;
    }
}
