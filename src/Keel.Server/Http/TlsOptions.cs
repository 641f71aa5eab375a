using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keel.Core.Errors;

namespace Keel.Server.Http;

/// <summary>
/// HTTPS for <c>keel server</c>: a PEM certificate (chain) and its PEM private key
/// (<c>--tls-cert</c>/<c>--tls-key</c>, or KEEL_TLS_CERT/KEEL_TLS_KEY). Both or neither.
/// </summary>
/// <param name="CertificateFile">The PEM certificate; further certificates in the file are sent as its chain.</param>
/// <param name="KeyFile">The PEM private key of the certificate (unencrypted PKCS#8, PKCS#1 or SEC1).</param>
public sealed record TlsOptions(string CertificateFile, string KeyFile)
{
    /// <summary>The TLS settings from a pair of options (or variables), or null when neither is given.</summary>
    /// <param name="certificate">The certificate file, or null.</param>
    /// <param name="key">The key file, or null.</param>
    /// <param name="certificateOption">The name the certificate came under (for the message).</param>
    /// <param name="keyOption">The name the key came under.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE when only one of the two is given.</exception>
    public static TlsOptions? FromPair(string? certificate, string? key, string certificateOption = "--tls-cert", string keyOption = "--tls-key")
    {
        certificate = string.IsNullOrWhiteSpace(certificate) ? null : certificate.Trim();
        key = string.IsNullOrWhiteSpace(key) ? null : key.Trim();
        return (certificate, key) switch
        {
            (null, null) => null,
            (not null, null) => throw KeelException.InvalidParameter($"{certificateOption} is given without {keyOption}: HTTPS needs both the certificate and its private key (PEM files)."),
            (null, not null) => throw KeelException.InvalidParameter($"{keyOption} is given without {certificateOption}: HTTPS needs both the certificate and its private key (PEM files)."),
            _ => new TlsOptions(certificate, key),
        };
    }

    /// <summary>Reads the certificate with its key, so a bad file stops the server before it listens.</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the file and what is wrong with it.</exception>
    internal X509Certificate2 Load()
    {
        foreach (var (file, option) in new[] { (CertificateFile, "--tls-cert"), (KeyFile, "--tls-key") })
        {
            if (!File.Exists(file))
            {
                throw KeelException.InvalidParameter($"{option} '{file}' does not exist or is not readable.");
            }
        }

        string certificatePem, keyPem;
        try
        {
            certificatePem = File.ReadAllText(CertificateFile);
            keyPem = File.ReadAllText(KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw KeelException.InvalidParameter($"The TLS certificate or key cannot be read ({e.Message}).");
        }

        if (!certificatePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter($"--tls-cert '{CertificateFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        if (!keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter($"--tls-key '{KeyFile}' holds no PEM private key (-----BEGIN PRIVATE KEY-----).");
        }

        try
        {
            using var loaded = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // An ephemeral key cannot be used by SslStream on every platform; a PKCS#12 round trip fixes it.
            return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw KeelException.InvalidParameter(
                $"--tls-key '{KeyFile}' does not match --tls-cert '{CertificateFile}', or one of them is not valid PEM ({e.Message.TrimEnd('.')}).");
        }
        catch (ArgumentException e)
        {
            throw KeelException.InvalidParameter($"--tls-cert '{CertificateFile}' or --tls-key '{KeyFile}' is not valid PEM ({e.Message.TrimEnd('.')}).");
        }
    }

    /// <summary>The rest of the chain in the certificate file (intermediates), sent with the certificate.</summary>
    internal X509Certificate2Collection Chain()
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(CertificateFile);
        var chain = new X509Certificate2Collection();
        foreach (var c in all.Skip(1))
        {
            chain.Add(c);
        }

        return chain;
    }
}
