using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bulwark.Server.Configuration;

/// <summary>Loads the PEM certificate chain and key for HTTPS.</summary>
public static class TlsCertificates
{
    public static X509Certificate2 Load(TlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(tls.Cert!, tls.Key);
            // Kestrel on Linux needs the key in an exportable, non-ephemeral form.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ServerConfigurationException($"cannot load TLS certificate '{tls.Cert}' and key: {e.Message}", e);
        }
    }
}
