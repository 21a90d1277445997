namespace Bulwark.Server.Configuration;

/// <summary>
/// Everything <c>bulwark serve</c> is configured with: bound from <c>bulwark.yaml</c>, then <c>BULWARK_</c>
/// environment variables (<c>BULWARK_DATABASE__PROVIDER</c>…), then command-line flags.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>host:port to listen on; a non-loopback host needs TLS or <see cref="InsecureHttp"/>.</summary>
    public string Listen { get; set; } = "127.0.0.1:5000";

    public string Data { get; set; } = "./bulwark-data";

    public DatabaseOptions Database { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    /// <summary>Allows plain HTTP on a non-loopback address (behind a TLS-terminating proxy).</summary>
    public bool InsecureHttp { get; set; }

    public RegistrySettings Registry { get; set; } = new();

    public IdentitySettings Identity { get; set; } = new();

    public ScanningSettings Scanning { get; set; } = new();

    public AuditSettings Audit { get; set; } = new();

    /// <summary>The Kubernetes admission webhook (<c>admission:</c>).</summary>
    public Admission.AdmissionSettings Admission { get; set; } = new();
    public PolicySettings Policy { get; set; } = new();
}
