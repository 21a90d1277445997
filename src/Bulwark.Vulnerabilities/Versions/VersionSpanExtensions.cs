namespace Bulwark.Vulnerabilities.Versions;

/// <summary>Character-class checks on spans used by several version grammars.</summary>
internal static class VersionSpanExtensions
{
    public static bool ContainsOnlyAsciiLettersOrDigits(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
