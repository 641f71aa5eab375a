using System.Net;
using System.Text;
using System.Text.Json;
using Keel.Application.Governance;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Governance;

/// <summary>
/// Four-eyes approval of a production alias over real HTTP: the alias <c>champion</c> of model
/// <c>churn</c> is in prod; moving it answers 202 with a request and does not move it; the
/// requester (and the creator of the version's run) cannot approve; another user approves and the
/// server moves it, with audit entries naming the approval; a rejected or expired request never
/// moves it; a request whose version was deleted meanwhile fails.
/// </summary>
public sealed class ApprovalFlowTests : IAsyncLifetime
{
    private readonly InProcessServers _servers = new();
    private readonly CapturingAuditSink _audit = new();
    private readonly ManualClock _clock = new();
    private KeelClient _client = null!;
    private Uri _baseUri = null!;

    public async Task InitializeAsync()
    {
        (_client, _) = _servers.Start(new Keel.Server.KeelServerOptions
        {
            Audit = _audit,
            Approvals = new ApprovalOptions { Time = _clock, SweepInterval = TimeSpan.FromDays(1) },
        });
        _baseUri = new Uri(_client.TrackingUri.AbsoluteUri.TrimEnd('/') + "/");

        // carol trained the model; alice deploys; bob reviews.
        var run = await _client.CreateRunAsync(new NewRun("0", "carol", "train", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), []));
        await _client.RegisterModelAsync("churn", $"runs:/{run.Info.RunId}/model", run.Info.RunId);
        await _client.RegisterModelAsync("churn", $"runs:/{run.Info.RunId}/model", run.Info.RunId);
        await _client.SetAliasAsync("churn", "champion", 1, "alice");
        await _client.Environments.AssignAsync("model_alias", "churn@champion", "prod", "admin");
    }

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    [Fact]
    public async Task Moving_a_prod_alias_answers_202_with_a_request_and_leaves_the_alias_where_it_was()
    {
        using var http = new HttpClient { BaseAddress = _baseUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/2.0/mlflow/registered-models/alias")
        {
            Content = new StringContent("""{"name":"churn","alias":"champion","version":"2"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Keel-User", "alice");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var approval = body.RootElement.GetProperty("approval");
        var id = approval.GetProperty("id").GetInt64();
        Assert.Equal(("requested", "prod", "registered_model.alias.set", "churn@champion", "alice"), (
            approval.GetProperty("state").GetString(), approval.GetProperty("environment").GetString(), approval.GetProperty("action").GetString(),
            approval.GetProperty("resource").GetString(), approval.GetProperty("requester").GetString()));
        Assert.Contains($"keel approvals approve {id}", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        var evidence = approval.GetProperty("evidence");
        Assert.Equal(("churn", "2", "carol"), (
            evidence.GetProperty("model_version").GetProperty("name").GetString(), evidence.GetProperty("model_version").GetProperty("version").GetString(),
            evidence.GetProperty("run").GetProperty("user_id").GetString()));
        Assert.Equal(1, (await _client.GetModelVersionByAliasAsync("churn", "champion")).Version);
    }

    [Fact]
    public async Task Another_user_approves_and_the_server_moves_the_alias_with_audit_entries_naming_the_approval()
    {
        var pending = await Assert.ThrowsAsync<ApprovalRequiredException>(() => _client.SetAliasAsync("churn", "champion", 2, "alice"));
        var id = pending.Approval.Id;

        var own = await Assert.ThrowsAsync<KeelException>(() => _client.Environments.ApproveAsync(id, "me", null, "alice"));
        Assert.Equal(ErrorCode.PermissionDenied, own.Code);
        var trainer = await Assert.ThrowsAsync<KeelException>(() => _client.Environments.ApproveAsync(id, "mine", null, "carol"));
        Assert.Equal(ErrorCode.PermissionDenied, trainer.Code);
        var stale = await Assert.ThrowsAsync<KeelException>(() => _client.Environments.ApproveAsync(id, "ok", 99, "bob"));
        Assert.Equal(ErrorCode.ResourceConflict, stale.Code);
        Assert.Equal(1, (await _client.GetModelVersionByAliasAsync("churn", "champion")).Version);

        var applied = await _client.Environments.ApproveAsync(id, "metrics look right", 1, "bob");
        Assert.Equal((ApprovalState.Applied, "bob", "metrics look right"), (applied.State, applied.DecidedBy, applied.Comment));
        Assert.Equal(2, (await _client.GetModelVersionByAliasAsync("churn", "champion")).Version);

        var again = await Assert.ThrowsAsync<KeelException>(() => _client.Environments.ApproveAsync(id, "twice", null, "dave"));
        Assert.Equal(ErrorCode.ResourceConflict, again.Code);
        Assert.Equal(
            [("approval.request", "alice"), ("approval.approve", "bob"), ("registered_model.alias.set", "alice")],
            _audit.Entries.Where(e => e.ApprovalId == id).Select(e => (e.Action, e.Actor)));
        Assert.All(_audit.Entries.Where(e => e.ApprovalId == id), e => Assert.Equal("prod", e.Environment));
    }

    [Fact]
    public async Task A_rejected_request_never_moves_the_alias()
    {
        var id = (await Assert.ThrowsAsync<ApprovalRequiredException>(() => _client.SetAliasAsync("churn", "champion", 2, "alice"))).Approval.Id;

        var rejected = await _client.Environments.RejectAsync(id, "not before the freeze ends", null, "bob");

        Assert.Equal((ApprovalState.Rejected, "bob", "not before the freeze ends"), (rejected.State, rejected.DecidedBy, rejected.Comment));
        Assert.Equal(1, (await _client.GetModelVersionByAliasAsync("churn", "champion")).Version);
        Assert.Equal(ErrorCode.ResourceConflict, (await Assert.ThrowsAsync<KeelException>(() => _client.Environments.ApproveAsync(id, null, null, "bob"))).Code);
        Assert.Contains(_audit.Entries, e => e.Action == "approval.reject" && e.ApprovalId == id && e.Actor == "bob");
    }

    [Fact]
    public async Task A_request_nobody_decides_expires_and_can_no_longer_be_approved()
    {
        var id = (await Assert.ThrowsAsync<ApprovalRequiredException>(() => _client.SetAliasAsync("churn", "champion", 2, "alice"))).Approval.Id;

        _clock.Advance(TimeSpan.FromHours(25));

        Assert.Equal(ApprovalState.Expired, (await _client.Environments.FindApprovalAsync(id))!.State);
        Assert.Equal(ErrorCode.ResourceConflict, (await Assert.ThrowsAsync<KeelException>(() => _client.Environments.ApproveAsync(id, null, null, "bob"))).Code);
        Assert.Equal(1, (await _client.GetModelVersionByAliasAsync("churn", "champion")).Version);
        Assert.Contains(_audit.Entries, e => e.Action == "approval.expire" && e.ApprovalId == id);
    }

    [Fact]
    public async Task An_approved_change_that_is_no_longer_possible_fails_with_the_error()
    {
        var id = (await Assert.ThrowsAsync<ApprovalRequiredException>(() => _client.SetAliasAsync("churn", "champion", 2, "alice"))).Approval.Id;
        await _client.DeleteModelVersionAsync("churn", 2, "alice");

        var failed = await _client.Environments.ApproveAsync(id, "ok", null, "bob");

        Assert.Equal(ApprovalState.Failed, failed.State);
        Assert.Contains("churn", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await _client.GetModelVersionByAliasAsync("churn", "champion")).Version);
    }

    [Fact]
    public async Task Outside_prod_the_alias_moves_at_once_and_a_staging_policy_can_require_approval()
    {
        await _client.SetAliasAsync("churn", "challenger", 2, "alice");
        Assert.Equal(2, (await _client.GetModelVersionByAliasAsync("churn", "challenger")).Version);

        await _client.Environments.AssignAsync("model_alias", "*@challenger", "staging", "admin");
        await _client.Environments.PutPolicyAsync("staging", true, 2, "admin");
        var pending = await Assert.ThrowsAsync<ApprovalRequiredException>(() => _client.SetAliasAsync("churn", "challenger", 1, "alice"));
        Assert.Equal("staging", pending.Approval.Environment);
        Assert.Equal(_clock.GetUtcNow().AddHours(2).ToUnixTimeMilliseconds(), pending.Approval.ExpiresAt);
    }
}
