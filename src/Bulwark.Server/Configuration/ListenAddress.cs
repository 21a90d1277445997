using System.Globalization;
using System.Net;

namespace Bulwark.Server.Configuration;

/// <summary>A parsed <c>host:port</c> listen address.</summary>
public sealed record ListenAddress(IPAddress Address, int Port, string Host)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public static ListenAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ServerConfigurationException($"listen address '{value}' must be host:port");
        }

        var host = value[..colon].Trim('[', ']');
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ServerConfigurationException($"listen host '{host}' must be an IP address or localhost");
        return new ListenAddress(address, port, host);
    }
}
