using Keel.Core.Errors;
using Keel.Core.Governance;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IEnvironmentStore"/> backend signs up to: the default policies
/// when nothing is stored (dev and staging free, prod requires approval, 24 h), policies and
/// assignments that replace their earlier value and raise the change version, and approvals that
/// move only along the transition table, each decision checked against the version it was made
/// from; a stale, repeated or late decision is a conflict and changes nothing.
/// </summary>
public abstract class EnvironmentStoreContract : IDisposable
{
    private IEnvironmentStore? _store;

    /// <summary>Returns a fresh, empty store.</summary>
    protected abstract IEnvironmentStore CreateStore();

    protected IEnvironmentStore Store => _store ??= CreateStore();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task With_nothing_stored_prod_requires_approval_and_dev_and_staging_do_not()
    {
        var policies = await Store.ListPoliciesAsync();
        Assert.Equal(
            [("dev", false, 86400L), ("prod", true, 86400L), ("staging", false, 86400L)],
            policies.Select(p => (p.Name, p.RequiresApproval, p.ApprovalTtlSeconds)));
        Assert.True((await Store.GetPolicyAsync("prod")).RequiresApproval);
        Assert.Equal(new EnvironmentPolicy("qa", false, 86400), await Store.GetPolicyAsync("qa"));
        Assert.Empty(await Store.ListAssignmentsAsync());
    }

    [ContractFact]
    public async Task A_stored_policy_replaces_the_default_and_raises_the_change_version()
    {
        var before = await Store.ChangeVersionAsync();
        await Store.PutPolicyAsync(new EnvironmentPolicy("staging", true, 3600));
        await Store.PutPolicyAsync(new EnvironmentPolicy("qa", true, 60));
        await Store.PutPolicyAsync(new EnvironmentPolicy("qa", false, 120));
        Assert.True(await Store.ChangeVersionAsync() > before);
        Assert.Equal(new EnvironmentPolicy("staging", true, 3600), await Store.GetPolicyAsync("staging"));
        Assert.Equal(
            [("dev", false, 86400L), ("prod", true, 86400L), ("qa", false, 120L), ("staging", true, 3600L)],
            (await Store.ListPoliciesAsync()).Select(p => (p.Name, p.RequiresApproval, p.ApprovalTtlSeconds)));
    }

    [ContractFact]
    public async Task Assignments_replace_their_earlier_environment_and_can_be_removed()
    {
        await Store.AssignAsync(new EnvironmentAssignment(GovernedResource.ModelAlias, "*@champion", "prod"));
        await Store.AssignAsync(new EnvironmentAssignment(GovernedResource.Endpoint, "churn", "staging"));
        var version = await Store.ChangeVersionAsync();
        await Store.AssignAsync(new EnvironmentAssignment(GovernedResource.Endpoint, "churn", "prod"));
        Assert.True(await Store.ChangeVersionAsync() > version);
        Assert.Equal(
            [new EnvironmentAssignment(GovernedResource.Endpoint, "churn", "prod"), new EnvironmentAssignment(GovernedResource.ModelAlias, "*@champion", "prod")],
            (await Store.ListAssignmentsAsync()).OrderBy(a => a.Kind).ToList());

        version = await Store.ChangeVersionAsync();
        await Store.UnassignAsync(GovernedResource.Endpoint, "churn");
        Assert.True(await Store.ChangeVersionAsync() > version);
        Assert.Equal("*@champion", Assert.Single(await Store.ListAssignmentsAsync()).Resource);
        var missing = await Assert.ThrowsAsync<KeelException>(() => Store.UnassignAsync(GovernedResource.Endpoint, "churn"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
    }

    [ContractFact]
    public async Task A_request_round_trips_in_state_requested_and_lists_newest_first_by_state_and_environment()
    {
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        var first = await Store.CreateApprovalAsync(Request("alice", expires, resource: "churn@champion"));
        Assert.Equal(
            ("prod", "release.manual", "churn@champion", "alice", "quarterly release", ApprovalState.Requested, expires, 1L),
            (first.Environment, first.Action, first.Resource, first.Requester, first.Reason, first.State, first.ExpiresAt, first.Version));
        Assert.Contains("\"version\":\"3\"", first.Request, StringComparison.Ordinal);
        Assert.Contains("abc123", first.Evidence, StringComparison.Ordinal);
        Assert.Null(first.DecidedBy);
        Assert.True(first.CreatedAt > 0);
        Assert.Equal(first, await Store.FindApprovalAsync(first.Id));

        var second = await Store.CreateApprovalAsync(Request("bob", expires, environment: "staging"));
        Assert.True(second.Id > first.Id);
        await Store.DecideAsync(second.Id, new ApprovalDecision(ApprovalState.Rejected, "carol", "no", null));
        Assert.Equal([second.Id, first.Id], (await Store.ListApprovalsAsync(new ApprovalQuery(null, null))).Select(a => a.Id));
        Assert.Equal([first.Id], (await Store.ListApprovalsAsync(new ApprovalQuery(ApprovalState.Requested, null))).Select(a => a.Id));
        Assert.Equal([second.Id], (await Store.ListApprovalsAsync(new ApprovalQuery(null, "staging"))).Select(a => a.Id));
        Assert.Equal([second.Id], (await Store.ListApprovalsAsync(new ApprovalQuery(null, null, 1))).Select(a => a.Id));
        Assert.Null(await Store.FindApprovalAsync(999_999));
    }

    [ContractFact]
    public async Task An_approved_request_is_applied_and_each_move_records_who_when_and_raises_the_version()
    {
        var created = await Store.CreateApprovalAsync(Request("alice", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()));
        var approved = await Store.DecideAsync(created.Id, new ApprovalDecision(ApprovalState.Approved, "bob", "looks good", 1));
        Assert.Equal((ApprovalState.Approved, "bob", "looks good", 2L), (approved.State, approved.DecidedBy, approved.Comment, approved.Version));
        Assert.NotNull(approved.DecidedAt);
        Assert.Null(approved.AppliedAt);

        var applied = await Store.DecideAsync(created.Id, new ApprovalDecision(ApprovalState.Applied, null, null, 2, Result: "moved"));
        Assert.Equal((ApprovalState.Applied, "bob", "moved", (string?)null, 3L), (applied.State, applied.DecidedBy, applied.Result, applied.Error, applied.Version));
        Assert.NotNull(applied.AppliedAt);
        Assert.Equal(applied, await Store.FindApprovalAsync(created.Id));
    }

    [ContractFact]
    public async Task A_stale_decision_is_a_conflict_and_changes_nothing()
    {
        var created = await Store.CreateApprovalAsync(Request("alice", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()));
        var stale = await Assert.ThrowsAsync<KeelException>(() => Store.DecideAsync(created.Id, new ApprovalDecision(ApprovalState.Approved, "bob", null, 7)));
        Assert.Equal(ErrorCode.ResourceConflict, stale.Code);
        Assert.Equal(created, await Store.FindApprovalAsync(created.Id));
    }

    [ContractFact]
    public async Task A_decision_on_a_decided_request_is_a_conflict_and_changes_nothing()
    {
        var created = await Store.CreateApprovalAsync(Request("alice", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()));
        var rejected = await Store.DecideAsync(created.Id, new ApprovalDecision(ApprovalState.Rejected, "bob", "not now", null));
        Assert.Equal((ApprovalState.Rejected, "bob", "not now"), (rejected.State, rejected.DecidedBy, rejected.Comment));

        foreach (var to in new[] { ApprovalState.Approved, ApprovalState.Rejected })
        {
            var again = await Assert.ThrowsAsync<KeelException>(() => Store.DecideAsync(created.Id, new ApprovalDecision(to, "carol", "late", null)));
            Assert.Equal(ErrorCode.ResourceConflict, again.Code);
        }

        Assert.Equal(rejected, await Store.FindApprovalAsync(created.Id));
        var missing = await Assert.ThrowsAsync<KeelException>(() => Store.DecideAsync(999_999, new ApprovalDecision(ApprovalState.Approved, "bob", null, null)));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
    }

    [ContractFact]
    public async Task An_expired_request_cannot_be_approved()
    {
        var created = await Store.CreateApprovalAsync(Request("alice", DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds()));
        var late = await Assert.ThrowsAsync<KeelException>(() => Store.DecideAsync(created.Id, new ApprovalDecision(ApprovalState.Approved, "bob", null, null)));
        Assert.Equal(ErrorCode.ResourceConflict, late.Code);
        var after = (await Store.FindApprovalAsync(created.Id))!;
        Assert.Contains(after.State, new[] { ApprovalState.Requested, ApprovalState.Expired });
        Assert.Null(after.AppliedAt);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private static NewApproval Request(string requester, long expiresAt, string environment = "prod", string resource = "churn") =>
        new(environment, "release.manual", resource, "{\"name\":\"churn\",\"version\":\"3\"}", "{\"datasets\":[{\"digest\":\"abc123\"}]}", requester, "quarterly release", expiresAt);
}
