using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Application.Governance;
using Keel.Core.Governance;
using Keel.Core.Pipelines;
using Keel.Storage.Sqlite;

namespace Keel.Pipelines.Tests.Engine;

/// <summary>
/// A step whose change deploys into an environment that requires approval: the step shows
/// waiting_for_approval, resumes and succeeds when someone approves (the approval then records the
/// change as applied), and fails when the request is rejected.
/// </summary>
public sealed class ApprovalWaitTests
{
    [Fact]
    public async Task A_step_waits_for_approval_and_resumes_when_approved()
    {
        var probe = new ProbeStep();
        await using var h = new PipelineHarness(extraSteps: [probe]);
        using var environments = new SqliteEnvironmentStore(Path.Combine(h.Root, "keel.db"));
        var (gate, approvals) = Governance(h, environments);
        probe.Behaviour = async (c, token) => { await gate.CheckAsync(Promote(), token); return "promoted"; };
        await h.ApplyAsync("name: ship\nsteps:\n  - {name: promote, type: probe}\n");
        var run = await h.StartAsync("ship");

        var finishing = Task.Run(() => h.FinishAsync(run.Id));
        await PipelineHarness.WaitForAsync(async () => (await h.StepsAsync(run.Id))["promote"].State == StepRunState.WaitingForApproval, "the step to wait for approval");
        var request = Assert.Single(await environments.ListApprovalsAsync(new ApprovalQuery(ApprovalState.Requested, "prod")));
        Assert.Equal(("endpoint.promote", "churn-ep", "keel:pipeline"), (request.Action, request.Resource, request.Requester));

        await approvals.ApproveAsync(request.Id.ToString(CultureInfo.InvariantCulture), "ship it", null, "bob", isAdmin: true);
        var done = await finishing;

        Assert.Equal(PipelineRunState.Succeeded, done.State);
        Assert.Equal("promoted", (await h.StepsAsync(run.Id))["promote"].Outputs["value"]);
        Assert.Equal(ApprovalState.Applied, (await environments.FindApprovalAsync(request.Id))!.State);
        Assert.Equal(
            ["running", "waiting_for_approval", "running", "succeeded"],
            (await h.EventsAsync(run.Id)).Where(e => e.Step == "promote" && e.State != "queued").Select(e => e.State));
    }

    [Fact]
    public async Task A_step_whose_request_is_rejected_fails()
    {
        var probe = new ProbeStep();
        await using var h = new PipelineHarness(extraSteps: [probe]);
        using var environments = new SqliteEnvironmentStore(Path.Combine(h.Root, "keel.db"));
        var (gate, approvals) = Governance(h, environments);
        probe.Behaviour = async (c, token) => { await gate.CheckAsync(Promote(), token); return "promoted"; };
        await h.ApplyAsync("name: ship\nsteps:\n  - {name: promote, type: probe}\n");
        var run = await h.StartAsync("ship");

        var finishing = Task.Run(() => h.FinishAsync(run.Id));
        await PipelineHarness.WaitForAsync(async () => (await h.StepsAsync(run.Id))["promote"].State == StepRunState.WaitingForApproval, "the step to wait for approval");
        var request = Assert.Single(await environments.ListApprovalsAsync(new ApprovalQuery(ApprovalState.Requested, "prod")));
        await approvals.RejectAsync(request.Id.ToString(CultureInfo.InvariantCulture), "not during the freeze", null, "bob", isAdmin: true);
        var done = await finishing;

        Assert.Equal(PipelineRunState.Failed, done.State);
        var step = (await h.StepsAsync(run.Id))["promote"];
        Assert.Equal(StepRunState.Failed, step.State);
        Assert.Contains("rejected by bob: not during the freeze", step.Error, StringComparison.Ordinal);
    }

    private static GatedChange Promote() =>
        new("endpoint.promote", GovernedResource.Endpoint, "churn-ep", "prod", new JsonObject { ["reason"] = "pipeline" }, "keel:pipeline");

    private static (ApprovalGate Gate, ApprovalService Approvals) Governance(PipelineHarness h, SqliteEnvironmentStore environments)
    {
        var resolver = new EnvironmentResolver(environments);
        var gate = new ApprovalGate(environments, resolver, new ApprovalEvidence(h.RegistryStore, h.TrackingStore), NullAuditSink.Instance, poll: TimeSpan.FromMilliseconds(20));
        return (gate, new ApprovalService(environments, resolver, IRoleLookup.Nobody, IApprovalApplier.None, NullAuditSink.Instance));
    }
}
