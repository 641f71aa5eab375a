using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// The gate every deploying change passes: a change carried out under its approved request
/// (<see cref="ApprovalScope"/>) goes through; a change into an environment whose policy requires
/// approval is stored as a request with its evidence (audited as <c>approval.request</c>) and
/// refused with <see cref="ApprovalRequiredException"/>; anything else goes through.
/// </summary>
public sealed class ApprovalGate : IChangeGate
{
    private readonly IEnvironmentStore _store;
    private readonly EnvironmentResolver _resolver;
    private readonly ApprovalEvidence _evidence;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;

    /// <param name="store">Policies and approvals.</param>
    /// <param name="resolver">Which environment a resource is in.</param>
    /// <param name="evidence">Gathers the evidence of a request.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="time">The clock; the system's when null.</param>
    public ApprovalGate(IEnvironmentStore store, EnvironmentResolver resolver, ApprovalEvidence evidence, IAuditSink audit, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _evidence = evidence ?? throw new ArgumentNullException(nameof(evidence));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
    }

    public async Task<Approval?> CheckAsync(GatedChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (ApprovalScope.Current is { } current && current.Action == change.Action && current.Resource == change.Resource)
        {
            return current;
        }

        var environment = await _resolver.ResolveAsync(change.Kind, change.Resource, change.DeclaredEnvironment, cancellationToken).ConfigureAwait(false);
        var policy = await _store.GetPolicyAsync(environment, cancellationToken).ConfigureAwait(false);
        if (!policy.RequiresApproval)
        {
            return null;
        }

        var evidence = await _evidence.CollectAsync(change, cancellationToken).ConfigureAwait(false);
        var requester = change.Actor ?? "anonymous";
        var approval = await _store.CreateApprovalAsync(
            new NewApproval(
                environment, change.Action, change.Resource, change.Request.ToJsonString(), evidence, requester, null,
                _time.GetUtcNow().ToUnixTimeMilliseconds() + (policy.ApprovalTtlSeconds * 1000)),
            cancellationToken).ConfigureAwait(false);
        await _audit.RecordAsync(ApprovalService.Entry(approval, requester, "approval.request"), cancellationToken).ConfigureAwait(false);
        throw new ApprovalRequiredException(approval);
    }
}
