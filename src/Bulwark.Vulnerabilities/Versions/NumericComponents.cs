using System.Collections.Immutable;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>Lexicographic order of lists of decimal components, where a list that extends another is greater.</summary>
internal static class NumericComponents
{
    public static int Compare(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        var count = Math.Min(a.Length, b.Length);
        for (var i = 0; i < count; i++)
        {
            var result = DecimalDigits.Compare(a[i], b[i]);
            if (result != 0)
            {
                return result;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
