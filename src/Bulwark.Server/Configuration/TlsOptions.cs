namespace Bulwark.Server.Configuration;

/// <summary>PEM certificate chain and private key for HTTPS.</summary>
public sealed class TlsOptions
{
    public string? Cert { get; set; }

    public string? Key { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Cert);
}
