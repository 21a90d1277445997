using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Tests;

/// <summary>
/// A self-signed certificate for 127.0.0.1 written as PEM files under a directory, and client handlers that trust only
/// it, as kube-apiserver trusts only the webhook's caBundle.
/// </summary>
public sealed class SelfSignedTls
{
    private readonly string _thumbprint;

    public SelfSignedTls(string directory)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _thumbprint = certificate.Thumbprint;
        var certFile = Path.Combine(directory, "cert.pem");
        var keyFile = Path.Combine(directory, "key.pem");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        Options = new TlsOptions { Cert = certFile, Key = keyFile };
    }

    public TlsOptions Options { get; }

    /// <summary>A handler that accepts the server's certificate and no other.</summary>
    public HttpClientHandler Handler()
    {
        var thumbprint = _thumbprint;
        return new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented!.Thumbprint == thumbprint };
    }
}
