using Keel.Core.Governance;
using Keel.Core.Wire;

namespace Keel.Application.Governance;

/// <summary>
/// Environment use cases: policies (whether deploying changes need approval, and the request TTL)
/// and assignments of resources to environments. Arguments are checked here once; each change is an
/// audit entry, and the resolver's cache is dropped at once in this process (other replicas see the
/// store's change version move).
/// </summary>
public sealed class EnvironmentService
{
    private readonly IEnvironmentStore _store;
    private readonly EnvironmentResolver _resolver;
    private readonly IAuditSink _audit;

    /// <param name="store">Policies and assignments.</param>
    /// <param name="resolver">The resolver whose cache a change drops.</param>
    /// <param name="audit">The audit log.</param>
    public EnvironmentService(IEnvironmentStore store, EnvironmentResolver resolver, IAuditSink audit)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
    }

    /// <summary>Every environment's policy, defaults included.</summary>
    public Task<IReadOnlyList<EnvironmentPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) => _store.ListPoliciesAsync(cancellationToken);

    /// <summary>Sets an environment's policy; a value left null keeps the current one.</summary>
    public async Task<EnvironmentPolicy> PutPolicyAsync(string? name, bool? requiresApproval, double? ttlHours, string? actor, CancellationToken cancellationToken = default)
    {
        var env = EnvironmentRules.Environment(name, "name");
        var before = await _store.GetPolicyAsync(env, cancellationToken).ConfigureAwait(false);
        var policy = new EnvironmentPolicy(env, requiresApproval ?? before.RequiresApproval, EnvironmentRules.TtlSeconds(ttlHours, before.ApprovalTtlSeconds));
        var stored = await _store.PutPolicyAsync(policy, cancellationToken).ConfigureAwait(false);
        _resolver.Invalidate();
        await _audit.RecordAsync(
            new AuditEntry(actor ?? "anonymous", "environment.policy.set", "environment", env, PolicyJson(before), PolicyJson(stored), env), cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Every assignment.</summary>
    public Task<IReadOnlyList<EnvironmentAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken = default) => _store.ListAssignmentsAsync(cancellationToken);

    /// <summary>Puts a resource in an environment.</summary>
    public async Task<EnvironmentAssignment> AssignAsync(string? kind, string? resource, string? environment, string? actor, CancellationToken cancellationToken = default)
    {
        var k = EnvironmentRules.Kind(kind);
        var assignment = new EnvironmentAssignment(k, EnvironmentRules.Resource(k, resource), EnvironmentRules.Environment(environment));
        var stored = await _store.AssignAsync(assignment, cancellationToken).ConfigureAwait(false);
        _resolver.Invalidate();
        await _audit.RecordAsync(
            new AuditEntry(actor ?? "anonymous", "environment.assign", EnvironmentRules.KindName(k), stored.Resource, null, AssignmentJson(stored), stored.Environment), cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Returns a resource to the default environment.</summary>
    public async Task UnassignAsync(string? kind, string? resource, string? actor, CancellationToken cancellationToken = default)
    {
        var k = EnvironmentRules.Kind(kind);
        var r = EnvironmentRules.Resource(k, resource);
        await _store.UnassignAsync(k, r, cancellationToken).ConfigureAwait(false);
        _resolver.Invalidate();
        await _audit.RecordAsync(new AuditEntry(actor ?? "anonymous", "environment.unassign", EnvironmentRules.KindName(k), r), cancellationToken).ConfigureAwait(false);
    }

    private static string PolicyJson(EnvironmentPolicy p) =>
        System.Text.Json.JsonSerializer.Serialize(EnvironmentWire.ToWire(p), EnvironmentJson.Default.EnvironmentPolicyInfo);

    private static string AssignmentJson(EnvironmentAssignment a) =>
        System.Text.Json.JsonSerializer.Serialize(EnvironmentWire.ToWire(a), EnvironmentJson.Default.EnvironmentAssignmentInfo);
}
