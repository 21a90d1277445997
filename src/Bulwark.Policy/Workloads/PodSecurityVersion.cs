using System.Globalization;

namespace Bulwark.Policy.Workloads;

/// <summary>
/// The Kubernetes version whose Pod Security Standards apply: <c>v1.N</c> or <c>latest</c>, spelled as the
/// <c>pod-security.kubernetes.io/enforce-version</c> label spells it. Versions newer than the newest change Bulwark
/// knows are evaluated as that newest version, as upstream does.
/// </summary>
public readonly record struct PodSecurityVersion
{
    private PodSecurityVersion(int minor, bool isLatest)
    {
        Minor = minor;
        IsLatest = isLatest;
    }

    public static PodSecurityVersion Latest { get; } = new(0, isLatest: true);

    /// <summary>The minor version of <c>v1.N</c>; 0 for <see cref="Latest"/>.</summary>
    public int Minor { get; }

    public bool IsLatest { get; }

    public static PodSecurityVersion Of(int minor) =>
        minor >= 0 ? new PodSecurityVersion(minor, isLatest: false) : throw new ArgumentOutOfRangeException(nameof(minor));

    /// <summary>Parses <c>latest</c> or <c>v1.N</c> (no leading zero), the only forms upstream accepts.</summary>
    public static bool TryParse(string? value, out PodSecurityVersion version)
    {
        version = Latest;
        if (value == "latest")
        {
            return true;
        }

        if (value is null || !value.StartsWith("v1.", StringComparison.Ordinal))
        {
            return false;
        }

        var digits = value.AsSpan(3);
        if (digits.IsEmpty || digits.Length > 6 || (digits.Length > 1 && digits[0] == '0') || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        version = new PodSecurityVersion(int.Parse(digits, CultureInfo.InvariantCulture), isLatest: false);
        return true;
    }

    public override string ToString() => IsLatest ? "latest" : $"v1.{Minor.ToString(CultureInfo.InvariantCulture)}";
}
