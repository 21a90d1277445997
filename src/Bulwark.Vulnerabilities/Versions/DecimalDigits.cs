namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// Compares runs of ASCII decimal digits by value without converting them to a fixed-size integer, so that a
/// hostile 300-digit segment neither overflows nor is silently truncated.
/// </summary>
internal static class DecimalDigits
{
    public static bool IsAll(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares two digit runs by numeric value; leading zeros are ignored and an empty run counts as zero.</summary>
    public static int Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        if (a.Length != b.Length)
        {
            return a.Length < b.Length ? -1 : 1;
        }

        return Math.Sign(a.SequenceCompareTo(b));
    }

    /// <summary>The digit run without its leading zeros ("0" for zero), as a canonical string.</summary>
    public static string Canonical(ReadOnlySpan<char> digits)
    {
        var trimmed = digits.TrimStart('0');
        return trimmed.IsEmpty ? "0" : trimmed.ToString();
    }

    /// <summary>Counts the digits at the start of <paramref name="text"/>.</summary>
    public static int LeadingCount(ReadOnlySpan<char> text)
    {
        var i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }
}
