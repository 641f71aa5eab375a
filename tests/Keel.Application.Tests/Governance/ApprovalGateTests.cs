using System.Text.Json.Nodes;
using Keel.Application.Governance;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Pipelines;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Storage.Sqlite;

namespace Keel.Application.Tests.Governance;

/// <summary>
/// The environment gate over the SQLite stores: which environment a resource is in (an exact alias
/// over a pattern, an endpoint's own environment, a change seen at once), prod changes refused with a
/// stored request (alias moves and endpoint traffic, with evidence), and a pipeline step's change that
/// waits for the decision and then resumes or fails.
/// </summary>
public sealed class ApprovalGateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-approval-tests").FullName;
    private readonly SqliteEnvironmentStore _environments;
    private readonly SqliteModelRegistryStore _registryStore;
    private readonly SqliteTrackingStore _tracking;
    private readonly SqliteServingStore _serving;
    private readonly EnvironmentResolver _resolver;
    private readonly ApprovalGate _gate;
    private readonly RegistryService _registry;
    private readonly ApprovalService _approvals;
    private readonly List<AuditEntry> _audit = [];

    public ApprovalGateTests()
    {
        var path = Path.Combine(_dir, "keel.db");
        _tracking = new SqliteTrackingStore(path);
        _registryStore = new SqliteModelRegistryStore(path);
        _environments = new SqliteEnvironmentStore(path);
        _serving = new SqliteServingStore(path);
        _resolver = new EnvironmentResolver(_environments);
        var audit = new ListSink(_audit);
        _gate = new ApprovalGate(_environments, _resolver, new ApprovalEvidence(_registryStore, _tracking), audit, poll: TimeSpan.FromMilliseconds(20));
        _registry = new RegistryService(_registryStore, _tracking) { Gate = _gate };
        _approvals = new ApprovalService(_environments, _resolver, IRoleLookup.Nobody, new ApprovalActions(_registry, () => null), audit);
    }

    public void Dispose()
    {
        _serving.Dispose();
        _environments.Dispose();
        _registryStore.Dispose();
        _tracking.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task An_exact_alias_assignment_wins_over_a_pattern_and_an_endpoint_keeps_its_own_environment()
    {
        await _environments.AssignAsync(new EnvironmentAssignment(GovernedResource.ModelAlias, "*@champion", "prod"));
        await _environments.AssignAsync(new EnvironmentAssignment(GovernedResource.ModelAlias, "sandbox@champion", "dev"));

        Assert.Equal("prod", await _resolver.ResolveAsync(GovernedResource.ModelAlias, "churn@champion"));
        Assert.Equal("dev", await _resolver.ResolveAsync(GovernedResource.ModelAlias, "sandbox@champion"));
        Assert.Equal("dev", await _resolver.ResolveAsync(GovernedResource.ModelAlias, "churn@challenger"));
        Assert.Equal("staging", await _resolver.ResolveAsync(GovernedResource.Endpoint, "fraud", "staging"));

        // Another replica's change (a second resolver's store write) is seen at the next lookup.
        await _environments.UnassignAsync(GovernedResource.ModelAlias, "sandbox@champion");
        Assert.Equal("prod", await _resolver.ResolveAsync(GovernedResource.ModelAlias, "sandbox@champion"));
    }

    [Fact]
    public async Task A_prod_alias_move_is_stored_as_a_request_and_a_dev_one_is_made()
    {
        await SeedAsync();
        await _registry.SetAliasAsync("churn", "challenger", "2", "alice");
        Assert.Equal(2, (await _registryStore.GetModelVersionByAliasAsync("churn", "challenger")).Version);

        var pending = await Assert.ThrowsAsync<ApprovalRequiredException>(() => _registry.SetAliasAsync("churn", "champion", "2", "alice"));

        Assert.Equal(("prod", "registered_model.alias.set", "churn@champion", "alice", ApprovalState.Requested), (
            pending.Approval.Environment, pending.Approval.Action, pending.Approval.Resource, pending.Approval.Requester, pending.Approval.State));
        Assert.Equal("2", JsonNode.Parse(pending.Approval.Request)!["version"]!.GetValue<string>());
        Assert.Equal("2", JsonNode.Parse(pending.Approval.Evidence!)!["model_version"]!["version"]!.GetValue<string>());
        Assert.Equal(1, (await _registryStore.GetModelVersionByAliasAsync("churn", "champion")).Version);
        Assert.Equal(("approval.request", pending.Approval.Id), (Assert.Single(_audit).Action, _audit[0].ApprovalId));
    }

    [Fact]
    public async Task A_request_for_a_version_that_does_not_exist_is_refused_before_anyone_is_asked()
    {
        await SeedAsync();
        var missing = await Assert.ThrowsAsync<KeelException>(() => _registry.SetAliasAsync("churn", "champion", "9", "alice"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
        Assert.Empty(await _environments.ListApprovalsAsync(new ApprovalQuery(null, null)));
    }

    [Fact]
    public async Task Traffic_on_a_prod_endpoint_is_stored_as_a_request_with_the_traffic_now_and_proposed()
    {
        var serving = new ServingService(_serving, new NullRuntime()) { Gate = _gate };
        await serving.CreateAsync("churn-ep", "prod", "models:/churn/1", null, null, null, "alice");

        var pending = await Assert.ThrowsAsync<ApprovalRequiredException>(() => serving.SetTrafficAsync("churn-ep", EndpointMode.Canary, "models:/churn/2", 10, null, "alice"));

        var evidence = JsonNode.Parse(pending.Approval.Evidence!)!;
        Assert.Equal(("endpoint.traffic.set", "prod"), (pending.Approval.Action, pending.Approval.Environment));
        Assert.Single(evidence["traffic"]!["current"]!.AsArray());
        Assert.Equal([90, 10], evidence["traffic"]!["proposed"]!.AsArray().Select(r => r!["weight"]!.GetValue<int>()));
        Assert.Equal(EndpointMode.Single, (await serving.GetAsync("churn-ep")).Mode);
    }

    [Fact]
    public async Task A_pipeline_step_waits_for_the_decision_and_resumes_to_make_the_change_itself()
    {
        await SeedAsync();
        var states = new List<string>();
        var waiting = new TaskCompletionSource<Approval>(TaskCreationOptions.RunContinuationsAsynchronously);
        var step = new StepApprovalWait(
            (a, _) => { states.Add("waiting_for_approval"); waiting.TrySetResult(a); return Task.CompletedTask; },
            (a, _) => { states.Add("running"); return Task.CompletedTask; });

        Task change;
        using (StepApprovalWait.Enter(step))
        {
            change = Task.Run(() => _registry.SetAliasAsync("churn", "champion", "2", "keel:pipeline"));
        }

        var approval = await waiting.Task;
        Assert.Equal(1, (await _registryStore.GetModelVersionByAliasAsync("churn", "champion")).Version);
        var approved = await _approvals.ApproveAsync(approval.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "ok", null, "bob", isAdmin: true);
        Assert.Equal(ApprovalState.Approved, approved.State);

        await change;
        Assert.Equal(2, (await _registryStore.GetModelVersionByAliasAsync("churn", "champion")).Version);
        Assert.Equal(["waiting_for_approval", "running"], states);
        await step.SettleAsync(true, "made by pipeline run 1 step 'register'");
        Assert.Equal(ApprovalState.Applied, (await _environments.FindApprovalAsync(approval.Id))!.State);
    }

    [Fact]
    public async Task A_pipeline_step_whose_request_is_rejected_fails_without_the_change()
    {
        await SeedAsync();
        var waiting = new TaskCompletionSource<Approval>(TaskCreationOptions.RunContinuationsAsynchronously);
        var step = new StepApprovalWait((a, _) => { waiting.TrySetResult(a); return Task.CompletedTask; }, (_, _) => Task.CompletedTask);
        Task change;
        using (StepApprovalWait.Enter(step))
        {
            change = Task.Run(() => _registry.SetAliasAsync("churn", "champion", "2", "keel:pipeline"));
        }

        var approval = await waiting.Task;
        await _approvals.RejectAsync(approval.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "not now", null, "bob", isAdmin: true);

        var failed = await Assert.ThrowsAsync<KeelException>(() => change);
        Assert.Contains("rejected by bob: not now", failed.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await _registryStore.GetModelVersionByAliasAsync("churn", "champion")).Version);
    }

    [Fact]
    public void The_transition_tables_allow_only_the_documented_moves()
    {
        var allowed = Enum.GetValues<ApprovalState>().SelectMany(f => Enum.GetValues<ApprovalState>().Where(t => ApprovalTransitions.IsAllowed(f, t)).Select(t => $"{f}->{t}"));
        Assert.Equal(["Requested->Approved", "Requested->Rejected", "Requested->Expired", "Approved->Applied", "Approved->Failed"], allowed);
        Assert.True(PipelineTransitions.IsAllowed(StepRunState.Running, StepRunState.WaitingForApproval));
        Assert.Equal(
            [StepRunState.Running, StepRunState.Failed, StepRunState.Cancelled],
            Enum.GetValues<StepRunState>().Where(t => PipelineTransitions.IsAllowed(StepRunState.WaitingForApproval, t)));
        Assert.Equal(StepRunState.WaitingForApproval, PipelineTransitions.ParseStepState(PipelineTransitions.Name(StepRunState.WaitingForApproval)));
    }

    private async Task SeedAsync()
    {
        await _registryStore.CreateRegisteredModelAsync("churn", [], null, "carol");
        await _registryStore.CreateModelVersionAsync(new NewModelVersion("churn", "s3://bucket/churn/1", null, [], null, null, "carol"), "carol");
        await _registryStore.CreateModelVersionAsync(new NewModelVersion("churn", "s3://bucket/churn/2", null, [], null, null, "carol"), "carol");
        await _registryStore.SetAliasAsync("churn", "champion", 1, "carol");
        await _environments.AssignAsync(new EnvironmentAssignment(GovernedResource.ModelAlias, "*@champion", "prod"));
    }

    private sealed class ListSink(List<AuditEntry> entries) : IAuditSink
    {
        public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            lock (entries)
            {
                entries.Add(entry);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class NullRuntime : IServingRuntime
    {
        public Task PrepareAsync(Endpoint endpoint, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Apply(Endpoint endpoint)
        {
        }

        public void Remove(string name)
        {
        }
    }
}
