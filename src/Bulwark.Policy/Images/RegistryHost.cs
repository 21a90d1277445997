using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Bulwark.Policy.Images;

/// <summary>
/// A registry as <c>host[:port]</c>, compared exactly (case-insensitively for the host): <c>myorg.io</c> never matches
/// <c>myorg.io.evil</c> or <c>myorg-evil.io</c>, and <c>localhost:5000</c> is not <c>localhost</c>.
/// </summary>
public static class RegistryHost
{
    public static bool IsValid([NotNullWhen(true)] string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 255)
        {
            return false;
        }

        var host = text;
        var colon = text.LastIndexOf(':');
        if (colon >= 0 && !text.EndsWith(']'))
        {
            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return false;
            }

            host = text[..colon];
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return System.Net.IPAddress.TryParse(host[1..^1], out _);
        }

        return host.Length > 0 && host.Split('.').All(label => label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label[0] != '-' && label[^1] != '-');
    }

    public static bool SameHost(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
}
