using Keel.Application;
using Keel.Application.Governance;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Governance;
using Keel.Core.Wire;

namespace Keel.Cli.Commands.Governance;

/// <summary>
/// Environments and approvals for the CLI: a server's API over HTTP (its rules, and approving makes
/// the server carry the change out), else the use cases over the embedded store (approving carries
/// out alias moves; endpoint changes need a server and stay approved).
/// </summary>
internal sealed class EnvironmentsApi
{
    private readonly RestEnvironmentStore? _http;
    private readonly EnvironmentService? _environments;
    private readonly ApprovalService? _approvals;

    public EnvironmentsApi(StoreSession session)
    {
        if (session.Store is KeelClient client)
        {
            _http = client.Environments;
            return;
        }

        var store = session.EnvironmentStore!;
        var resolver = new EnvironmentResolver(store);
        _environments = new EnvironmentService(store, resolver, NullAuditSink.Instance);
        _approvals = new ApprovalService(store, resolver, IRoleLookup.Nobody, new AliasOnly(session.Registry), NullAuditSink.Instance);
    }

    public static string Actor => Environment.UserName;

    public Task<IReadOnlyList<EnvironmentPolicy>> ListPoliciesAsync(CancellationToken ct) =>
        _http?.ListPoliciesAsync(ct) ?? _environments!.ListPoliciesAsync(ct);

    public Task<EnvironmentPolicy> PutPolicyAsync(string name, bool? requiresApproval, double? ttlHours, CancellationToken ct) =>
        _http?.PutPolicyAsync(name, requiresApproval, ttlHours, Actor, ct) ?? _environments!.PutPolicyAsync(name, requiresApproval, ttlHours, Actor, ct);

    public Task<IReadOnlyList<EnvironmentAssignment>> ListAssignmentsAsync(CancellationToken ct) =>
        _http?.ListAssignmentsAsync(ct) ?? _environments!.ListAssignmentsAsync(ct);

    public Task<EnvironmentAssignment> AssignAsync(string kind, string resource, string environment, CancellationToken ct) =>
        _http?.AssignAsync(kind, resource, environment, Actor, ct) ?? _environments!.AssignAsync(kind, resource, environment, Actor, ct);

    public Task UnassignAsync(string kind, string resource, CancellationToken ct) =>
        _http?.UnassignAsync(kind, resource, Actor, ct) ?? _environments!.UnassignAsync(kind, resource, Actor, ct);

    public async Task<IReadOnlyList<Approval>> ListApprovalsAsync(string? state, string? environment, int? max, CancellationToken ct) =>
        _http is not null
            ? await _http.ListApprovalsAsync(new ApprovalQuery(EnvironmentRules.State(state), environment, max ?? 100), ct).ConfigureAwait(false)
            : await _approvals!.ListAsync(state, environment, max, ct).ConfigureAwait(false);

    public async Task<Approval> GetAsync(string id, CancellationToken ct) =>
        _http is not null
            ? await _http.FindApprovalAsync(EnvironmentRules.ApprovalId(id), ct).ConfigureAwait(false) ?? throw Keel.Core.Errors.KeelException.NotFound($"Approval {id} does not exist.")
            : await _approvals!.GetAsync(id, ct).ConfigureAwait(false);

    // Authentication is the server's: embedded, everyone counts as admin (four-eyes still holds).
    public Task<Approval> ApproveAsync(string id, string? comment, long? expectedVersion, CancellationToken ct) =>
        _http?.ApproveAsync(EnvironmentRules.ApprovalId(id), comment, expectedVersion, Actor, ct) ?? _approvals!.ApproveAsync(id, comment, expectedVersion, Actor, isAdmin: true, ct);

    public Task<Approval> RejectAsync(string id, string comment, long? expectedVersion, CancellationToken ct) =>
        _http?.RejectAsync(EnvironmentRules.ApprovalId(id), comment, expectedVersion, Actor, ct) ?? _approvals!.RejectAsync(id, comment, expectedVersion, Actor, isAdmin: true, ct);

    // Without a server nothing serves endpoints: only alias moves are carried out here.
    private sealed class AliasOnly(RegistryService registry) : IApprovalApplier
    {
        private readonly ApprovalActions _actions = new(registry, () => null);

        public bool CanApply(string action) => action.StartsWith("registered_model.alias.", StringComparison.Ordinal);

        public Task<string> ApplyAsync(Approval approval, CancellationToken cancellationToken = default) => _actions.ApplyAsync(approval, cancellationToken);
    }
}
