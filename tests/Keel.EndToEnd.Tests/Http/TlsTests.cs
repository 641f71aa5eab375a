using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keel.Client;
using Keel.Core.Errors;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Keel.Server.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary><c>keel server --tls-cert/--tls-key</c>: HTTPS on the port, and an SDK that trusts the server's own CA bundle.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly InProcessServers _servers = new();
    private readonly string _dir = TempDirs.Create("keel-tls");

    [Fact]
    public async Task The_sdk_talks_https_to_a_server_whose_certificate_it_was_told_to_trust_and_plain_http_is_refused()
    {
        var (cert, key) = WriteSelfSigned(_dir, "server");
        var address = Start(new KeelServerOptions { Tls = new TlsOptions(cert, key) });
        Assert.Equal("https", address.Scheme);

        using (var trusting = new KeelClient(address, options: new KeelClientOptions { TrustedCaFile = cert, MaxRetries = 0 }))
        {
            var id = await trusting.CreateExperimentAsync("tls-" + Guid.NewGuid().ToString("N"), null, []);
            Assert.False(string.IsNullOrEmpty(id));
        }

        // Without the bundle the certificate is not trusted; with another CA's bundle neither.
        var (otherCa, _) = WriteSelfSigned(_dir, "other");
        foreach (var options in new[] { new KeelClientOptions { MaxRetries = 0, TrustedCaFile = null, InsecureTls = false }, new KeelClientOptions { MaxRetries = 0, TrustedCaFile = otherCa, InsecureTls = false } })
        {
            using var client = new KeelClient(address, options: options);
            await Assert.ThrowsAnyAsync<Exception>(() => client.CreateExperimentAsync("tls-" + Guid.NewGuid().ToString("N"), null, []));
        }

        // MLflow's MLFLOW_TRACKING_INSECURE_TLS=true: no check at all.
        using (var insecure = new KeelClient(address, options: new KeelClientOptions { InsecureTls = true, TrustedCaFile = null, MaxRetries = 0 }))
        {
            Assert.False(string.IsNullOrEmpty(await insecure.CreateExperimentAsync("tls-" + Guid.NewGuid().ToString("N"), null, [])));
        }

        // Plain HTTP to the TLS port gets no answer from the API.
        using var plain = new HttpClient();
        var http = new UriBuilder(address) { Scheme = "http", Port = address.Port }.Uri;
        HttpResponseMessage? answer = null;
        try
        {
            answer = await plain.GetAsync(new Uri(http, "/api/2.0/mlflow/experiments/search?max_results=1"));
        }
        catch (HttpRequestException)
        {
        }

        Assert.True(answer is null || answer.StatusCode == HttpStatusCode.BadRequest, $"plain http answered {answer?.StatusCode}");
        answer?.Dispose();
    }

    [Fact]
    public void Tls_needs_both_files_and_a_key_that_matches_the_certificate()
    {
        Assert.Null(TlsOptions.FromPair(null, " "));
        Assert.Contains("--tls-key", Assert.Throws<KeelException>(() => TlsOptions.FromPair("a.pem", null)).Message, StringComparison.Ordinal);
        Assert.Contains("--tls-cert", Assert.Throws<KeelException>(() => TlsOptions.FromPair(null, "k.pem")).Message, StringComparison.Ordinal);
        Assert.Contains("KEEL_TLS_KEY", Assert.Throws<KeelException>(() => TlsOptions.FromPair("a.pem", null, "KEEL_TLS_CERT", "KEEL_TLS_KEY")).Message, StringComparison.Ordinal);

        var (cert, _) = WriteSelfSigned(_dir, "one");
        var (_, otherKey) = WriteSelfSigned(_dir, "two");
        var mismatch = Assert.Throws<KeelException>(() => KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: _dir) { Tls = new TlsOptions(cert, otherKey) }));
        Assert.Equal(ErrorCode.InvalidParameterValue, mismatch.Code);
        Assert.Contains("does not match", mismatch.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<KeelException>(() => KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: _dir) { Tls = new TlsOptions(Path.Combine(_dir, "nope.pem"), otherKey) }));
        Assert.Contains("--tls-cert", missing.Message, StringComparison.Ordinal);
        Assert.Contains("nope.pem", missing.Message, StringComparison.Ordinal);

        var notPem = Assert.Throws<KeelException>(() => KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: _dir) { Tls = new TlsOptions(cert, cert) }));
        Assert.Contains("--tls-key", notPem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keel_server_with_only_a_certificate_refuses_to_start_naming_the_missing_option_without_a_stack_trace()
    {
        var (cert, _) = WriteSelfSigned(_dir, "cli");
        var (code, stdout, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", Path.Combine(_dir, "data"), "--tls-cert", cert]);
        Assert.NotEqual(0, code);
        Assert.Contains("--tls-key", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, written as PEM; returns (certificate file, key file).</summary>
    internal static (string Cert, string Key) WriteSelfSigned(string dir, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certFile = Path.Combine(dir, name + ".crt");
        var keyFile = Path.Combine(dir, name + ".key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile);
    }

    private Uri Start(KeelServerOptions options)
    {
        var (_, services) = _servers.Start(options);
        return new Uri(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _servers.DisposeAsync();
        TempDirs.TryDelete(_dir);
    }
}
