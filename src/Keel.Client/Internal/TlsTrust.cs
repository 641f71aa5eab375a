using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Keel.Core.Configuration;
using Keel.Core.Errors;

namespace Keel.Client.Internal;

/// <summary>
/// How the SDK checks an https server's certificate: the system's roots, plus a CA bundle
/// (<see cref="KeelClientOptions.TrustedCaFile"/>), or no check at all (<see cref="KeelClientOptions.InsecureTls"/>).
/// </summary>
internal static class TlsTrust
{
    /// <summary>The handler of a client the SDK creates itself.</summary>
    public static HttpMessageHandler Handler(KeelClientOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.InsecureTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.TrustedCaFile is { } caFile)
        {
            var roots = LoadBundle(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                errors == SslPolicyErrors.None || (certificate is X509Certificate2 presented && TrustedBy(presented, chain, errors, roots));
        }

        return handler;
    }

    /// <summary>The CA bundle: every PEM certificate in the file.</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE when the file is missing or holds no certificate.</exception>
    public static X509Certificate2Collection LoadBundle(string file)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw KeelException.InvalidParameter($"The CA bundle '{file}' ({KeelEnvironment.TlsCa} or {KeelEnvironment.MlflowServerCertPath}) cannot be read: {e.Message}");
        }

        return roots.Count > 0
            ? roots
            : throw KeelException.InvalidParameter($"The CA bundle '{file}' ({KeelEnvironment.TlsCa} or {KeelEnvironment.MlflowServerCertPath}) holds no PEM certificate.");
    }

    // Only an untrusted root is forgiven, and only when the bundle holds it; a wrong host name never is.
    private static bool TrustedBy(X509Certificate2 certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate);
    }
}
