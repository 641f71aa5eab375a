using System.Net;
using System.Security.Cryptography;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Keel.Server.Governance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Keel.EndToEnd.Tests.Governance;

/// <summary>
/// OpenID Connect sign-in against a provider the test runs itself (discovery document and JWKS on
/// loopback, an RSA key): a valid token signs in and creates the user, the admin group makes an
/// admin, and a token with another audience, another issuer, an unknown key or past its expiry is a 401.
/// </summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private const string Audience = "keel";
    private readonly RSA _key = RSA.Create(2048);
    private readonly InProcessServers _servers = new();
    private WebApplication _provider = null!;
    private string _issuer = null!;
    private Uri _keel = null!;
    private IServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.ExportParameters(false)) { KeyId = "k1" });
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer,
            ["jwks_uri"] = _issuer + "/jwks",
        }));
        _provider.MapGet("/jwks", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = "RSA", ["kid"] = "k1", ["use"] = "sig", ["alg"] = "RS256", ["n"] = jwk.N, ["e"] = jwk.E } },
        }));
        await _provider.StartAsync();
        _issuer = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var auth = new AuthOptions
        {
            Enabled = true,
            AdminUsername = "root",
            AdminPassword = "root-password-1",
            ChangeCheckInterval = TimeSpan.Zero,
            Oidc = new OidcOptions { Issuer = _issuer, Audience = Audience, AdminGroup = "ml-admins", AllowHttp = true },
        };
        (var client, _services) = _servers.Start(new KeelServerOptions { Auth = auth });
        _keel = client.TrackingUri;
    }

    public async Task DisposeAsync()
    {
        await _servers.DisposeAsync();
        await _provider.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task A_valid_token_signs_in_and_creates_the_user_who_then_owns_what_they_create()
    {
        using var client = Client(Token("carol"));
        var experimentId = await client.CreateExperimentAsync("carol-experiment");

        var store = _services.GetRequiredService<IGovernanceStore>();
        var carol = (await store.FindUserAsync("carol"))!;
        Assert.False(carol.IsAdmin);
        Assert.Null((await store.FindCredentialAsync("carol"))!.PasswordHash);
        Assert.Equal(PermissionLevel.Manage, (await store.FindPermissionAsync(PermissionResource.Experiment, experimentId, "carol"))!.Permission);

        // Not an admin: the users list is refused; a member of the admin group may read it.
        Assert.Equal(ErrorCode.PermissionDenied, (await Assert.ThrowsAsync<KeelException>(() => client.Governance.ListUsersAsync())).Code);
        using var admin = Client(Token("dana", groups: ["ml-admins"]));
        Assert.Contains(await admin.Governance.ListUsersAsync(), u => u.Username == "carol");
    }

    [Fact]
    public async Task Tokens_for_another_audience_or_issuer_signed_by_another_key_or_expired_are_refused()
    {
        using var other = RSA.Create(2048);
        foreach (var token in new[]
        {
            Token("eve", audience: "someone-else"),
            Token("eve", issuer: "https://evil.example"),
            Token("eve", signingKey: other),
            Token("eve", expires: DateTime.UtcNow.AddMinutes(-5)),
        })
        {
            using var http = new HttpClient { BaseAddress = _keel };
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/2.0/mlflow/experiments/search?max_results=1")).StatusCode);
        }

        Assert.Null(await _services.GetRequiredService<IGovernanceStore>().FindUserAsync("eve"));
    }

    private KeelClient Client(string token) =>
        new(_keel, options: new KeelClientOptions { Credentials = KeelCredentials.Bearer(token), MaxRetries = 0 });

    private string Token(string user, string? audience = null, string? issuer = null, RSA? signingKey = null, DateTime? expires = null, string[]? groups = null)
    {
        var claims = new Dictionary<string, object> { ["preferred_username"] = user, ["sub"] = "id-" + user };
        if (groups is not null)
        {
            claims["groups"] = groups;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? _issuer,
            Audience = audience ?? Audience,
            Claims = claims,
            IssuedAt = now.AddMinutes(-10),
            NotBefore = now.AddMinutes(-10),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signingKey ?? _key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        });
    }
}
