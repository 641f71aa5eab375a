using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// The gate every deploying change passes: a change carried out under its approved request
/// (<see cref="ApprovalScope"/>) goes through; a change into an environment whose policy requires
/// approval is stored as a request with its evidence (audited as <c>approval.request</c>) and
/// refused with <see cref="ApprovalRequiredException"/>, except inside a pipeline step running in
/// this process (<see cref="StepApprovalWait"/>), which waits for the decision and then makes the
/// change itself; anything else goes through.
/// </summary>
public sealed class ApprovalGate : IChangeGate
{
    private readonly IEnvironmentStore _store;
    private readonly EnvironmentResolver _resolver;
    private readonly ApprovalEvidence _evidence;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _poll;

    /// <param name="store">Policies and approvals.</param>
    /// <param name="resolver">Which environment a resource is in.</param>
    /// <param name="evidence">Gathers the evidence of a request.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="time">The clock; the system's when null.</param>
    /// <param name="poll">How often a waiting pipeline step looks at its request again (default five seconds).</param>
    public ApprovalGate(IEnvironmentStore store, EnvironmentResolver resolver, ApprovalEvidence evidence, IAuditSink audit, TimeProvider? time = null, TimeSpan? poll = null)
    {
        _poll = poll ?? TimeSpan.FromSeconds(5);
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
        var step = StepApprovalWait.Current;
        var request = change.Request;
        if (step is not null)
        {
            // The waiting step makes the change itself once approved: the server must not make it too.
            request = (JsonObject)request.DeepClone();
            request[ApprovalService.CarriedOutByField] = ApprovalService.CarriedOutByStepValue;
        }

        var approval = await _store.CreateApprovalAsync(
            new NewApproval(
                environment, change.Action, change.Resource, request.ToJsonString(), evidence, requester, null,
                _time.GetUtcNow().ToUnixTimeMilliseconds() + (policy.ApprovalTtlSeconds * 1000)),
            cancellationToken).ConfigureAwait(false);
        await _audit.RecordAsync(ApprovalService.Entry(approval, requester, "approval.request"), cancellationToken).ConfigureAwait(false);
        if (step is null)
        {
            throw new ApprovalRequiredException(approval);
        }

        await step.WaitingAsync(approval, cancellationToken).ConfigureAwait(false);
        Approval decided;
        try
        {
            decided = await WaitForDecisionAsync(approval, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The step timed out or its worker stops: it leaves the waiting state to end as its runner decides.
            await step.ResumedAsync(approval, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await step.ResumedAsync(decided, cancellationToken).ConfigureAwait(false);
        if (decided.State != ApprovalState.Approved)
        {
            throw new KeelException(
                ErrorCode.PermissionDenied,
                $"Approval {decided.Id} of {decided.Action} on '{decided.Resource}' was {ApprovalTransitions.Name(decided.State)}"
                + (decided.DecidedBy is { } by ? $" by {by}" : string.Empty) + (decided.Comment is { } c ? $": {c}" : string.Empty) + "; the change was not made.");
        }

        step.OnSettle((succeeded, detail) => _store.DecideAsync(
            decided.Id,
            succeeded ? new ApprovalDecision(ApprovalState.Applied, null, null, null, Result: detail) : new ApprovalDecision(ApprovalState.Failed, null, null, null, Error: detail)));
        return decided;
    }

    // Polls the store until someone decides; a request past its expiry is expired here (as on any read).
    private async Task<Approval> WaitForDecisionAsync(Approval approval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await _store.FindApprovalAsync(approval.Id, cancellationToken).ConfigureAwait(false) ?? approval;
            if (current.State != ApprovalState.Requested)
            {
                return current;
            }

            if (current.ExpiresAt <= _time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                try
                {
                    var expired = await _store.DecideAsync(current.Id, new ApprovalDecision(ApprovalState.Expired, null, null, current.Version), cancellationToken).ConfigureAwait(false);
                    await _audit.RecordAsync(ApprovalService.Entry(expired, ApprovalService.SystemActor, "approval.expire", current), cancellationToken).ConfigureAwait(false);
                    return expired;
                }
                catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
                {
                    continue;
                }
            }

            await Task.Delay(_poll, cancellationToken).ConfigureAwait(false);
        }
    }
}
