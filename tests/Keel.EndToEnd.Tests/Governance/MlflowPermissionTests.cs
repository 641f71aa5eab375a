using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Keel.Server.Governance;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Governance;

/// <summary>
/// MLflow's basic-auth semantics through the SDK and raw HTTP, on a server with authentication on:
/// 401 with MLflow's challenge, passwords and tokens, the creator's MANAGE, runs and versions
/// inheriting, the default permission, explicit rows up and down, search filtered, permissions
/// following a rename, and the refusal to start open on a network address.
/// </summary>
public sealed class MlflowPermissionTests : IAsyncLifetime
{
    private readonly InProcessServers _servers = new();
    private Uri _address = null!;
    private IServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var auth = new AuthOptions { Enabled = true, AdminUsername = "root", AdminPassword = "root-password-1", ChangeCheckInterval = TimeSpan.Zero };
        (var client, _services) = _servers.Start(new KeelServerOptions { Auth = auth });
        _address = client.TrackingUri;
        var store = _services.GetRequiredService<IGovernanceStore>();
        foreach (var name in new[] { "alice", "bob" })
        {
            await store.CreateUserAsync(name, Keel.Application.Governance.PasswordHasher.Default.Hash(name + "-password"), false);
        }
    }

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    [Fact]
    public async Task Without_credentials_the_answer_is_MLflows_401_challenge_and_wrong_ones_are_refused_alike()
    {
        using var http = new HttpClient { BaseAddress = _address };
        foreach (var authorization in new[] { null, Basic("alice", "wrong"), Basic("nobody", "x"), "Bearer keel_notatoken_xyz", "Basic !!!" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=10");
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic realm=\"mlflow\"", response.Headers.WwwAuthenticate.ToString());
            Assert.StartsWith("You are not authenticated.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Probes stay open.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_creator_manages_others_read_by_default_and_explicit_rows_raise_or_remove_access()
    {
        using var alice = Client("alice");
        using var bob = Client("bob");
        var experimentId = await alice.CreateExperimentAsync("alice-experiment");
        var run = await alice.StartRunAsync(experimentId);
        await alice.LogMetricAsync(run.Info.RunId, "loss", 0.5);

        var store = _services.GetRequiredService<IGovernanceStore>();
        Assert.Equal(PermissionLevel.Manage, (await store.FindPermissionAsync(PermissionResource.Experiment, experimentId, "alice"))!.Permission);

        // Bob has the default READ: he reads the experiment and its run, but may not log or delete.
        Assert.Equal("alice-experiment", (await bob.GetExperimentAsync(experimentId)).Name);
        Assert.Equal(run.Info.RunId, (await bob.GetRunAsync(run.Info.RunId)).Info.RunId);
        var denied = await Assert.ThrowsAsync<KeelException>(() => bob.LogMetricAsync(run.Info.RunId, "loss", 0.1));
        Assert.Equal((ErrorCode.PermissionDenied, "Permission denied"), (denied.Code, denied.Message));
        await Assert.ThrowsAsync<KeelException>(() => bob.StartRunAsync(experimentId));

        // EDIT lets him log to the run (inherited from the experiment), not delete it.
        await store.CreatePermissionAsync(PermissionResource.Experiment, experimentId, "bob", PermissionLevel.Edit);
        await bob.LogMetricAsync(run.Info.RunId, "loss", 0.1);
        Assert.Equal(PermissionDenied, await CodeOfAsync(() => bob.DeleteRunAsync(run.Info.RunId)));

        // NO_PERMISSIONS hides it, from reads and from search.
        await store.UpdatePermissionAsync(PermissionResource.Experiment, experimentId, "bob", PermissionLevel.NoPermissions);
        Assert.Equal(PermissionDenied, await CodeOfAsync(() => bob.GetExperimentAsync(experimentId)));
        Assert.Equal(PermissionDenied, await CodeOfAsync(() => bob.GetRunAsync(run.Info.RunId)));
        var bobSees = (await bob.SearchExperimentsAsync(maxResults: 100)).Items.Select(e => e.ExperimentId).ToList();
        Assert.DoesNotContain(experimentId, bobSees);
        Assert.Contains(experimentId, (await alice.SearchExperimentsAsync(maxResults: 100)).Items.Select(e => e.ExperimentId));
    }

    [Fact]
    public async Task Registered_models_follow_the_same_rules_and_permissions_follow_a_rename()
    {
        using var alice = Client("alice");
        using var bob = Client("bob");
        await alice.CreateRegisteredModelAsync("churn", [], null, null);
        var version = await alice.CreateModelVersionAsync(new Keel.Core.Registry.NewModelVersion("churn", "s3://models/churn/1", null, [], null, null, null), null);
        await alice.SetAliasAsync("churn", "champion", version.Version);

        Assert.Equal("churn", (await bob.GetRegisteredModelAsync("churn")).Name);
        Assert.Equal(PermissionDenied, await CodeOfAsync(() => bob.SetAliasAsync("churn", "challenger", version.Version)));
        Assert.Equal(PermissionDenied, await CodeOfAsync(() => bob.DeleteRegisteredModelAsync("churn", null)));

        await alice.RenameRegisteredModelAsync("churn", "churn-v2", null);
        var store = _services.GetRequiredService<IGovernanceStore>();
        Assert.Equal(PermissionLevel.Manage, (await store.FindPermissionAsync(PermissionResource.RegisteredModel, "churn-v2", "alice"))!.Permission);
        Assert.Null(await store.FindPermissionAsync(PermissionResource.RegisteredModel, "churn", "alice"));
        await alice.SetAliasAsync("churn-v2", "challenger", version.Version);
    }

    [Fact]
    public async Task Api_tokens_sign_in_until_revoked()
    {
        var store = _services.GetRequiredService<IGovernanceStore>();
        var token = await AuthServers.TokenAsync(store, "alice");
        using var client = new KeelClient(_address, options: new KeelClientOptions { Credentials = KeelCredentials.Bearer(token) });
        await client.CreateExperimentAsync("by-token");

        var id = (await store.ListTokensAsync("alice")).Single().Id;
        await store.RevokeTokenAsync(id);
        var refused = await Assert.ThrowsAsync<KeelException>(() => client.CreateExperimentAsync("after-revocation"));
        Assert.Equal(ErrorCode.Unauthenticated, refused.Code);
        Assert.Contains("keel login", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_on_a_network_address_without_authentication_refuses_to_start_and_says_how_to_turn_it_on()
    {
        var refused = Assert.Throws<KeelException>(() => KeelServer.Build(new KeelServerOptions(Host: "0.0.0.0", Port: 0, DataDir: TempDirs.Create("keel-open"))));
        Assert.Contains("--auth", refused.Message, StringComparison.Ordinal);
        Assert.Contains("KEEL_ADMIN_USERNAME", refused.Message, StringComparison.Ordinal);

        var noAdmin = Assert.Throws<KeelException>(() => KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: TempDirs.Create("keel-noadmin")) { Auth = new AuthOptions { Enabled = true } }));
        Assert.Contains("no admin user", noAdmin.Message, StringComparison.Ordinal);
    }

    private const ErrorCode PermissionDenied = ErrorCode.PermissionDenied;

    private static async Task<ErrorCode> CodeOfAsync(Func<Task> call) => (await Assert.ThrowsAsync<KeelException>(call)).Code;

    private KeelClient Client(string user) =>
        new(_address, options: new KeelClientOptions { Credentials = KeelCredentials.Basic(user, user + "-password"), MaxRetries = 0 });

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
