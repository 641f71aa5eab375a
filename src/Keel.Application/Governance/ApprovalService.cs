using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Application.Validation;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Wire;

namespace Keel.Application.Governance;

/// <summary>
/// Approval use cases: list and read (a request past its expiry is expired on read), explicit
/// requests, approving (four-eyes: never by the requester nor by the user who created the model
/// version's source run; by a deployer or admin of the environment, admins not exempt from
/// four-eyes), which carries out the change as the requester under the approval (applied, or failed
/// with the error), rejecting, and the expiry sweep. Each request, decision and expiry is an audit
/// entry naming the approval.
/// </summary>
public sealed class ApprovalService
{
    /// <summary>The actor of the server's own moves (expiry).</summary>
    public const string SystemActor = "keel:approvals";

    /// <summary>The request field that says who makes the change once approved (absent: the server).</summary>
    public const string CarriedOutByField = "carried_out_by";

    /// <summary>The value of <see cref="CarriedOutByField"/> for a change a waiting pipeline step makes itself.</summary>
    public const string CarriedOutByStepValue = "pipeline_step";

    private readonly IEnvironmentStore _store;
    private readonly EnvironmentResolver _resolver;
    private readonly IRoleLookup _roles;
    private readonly IApprovalApplier _applier;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;

    /// <param name="store">Policies and approvals.</param>
    /// <param name="resolver">Which environment a resource is in.</param>
    /// <param name="roles">Who holds which role where.</param>
    /// <param name="applier">Carries out approved changes.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="time">The clock; the system's when null.</param>
    public ApprovalService(IEnvironmentStore store, EnvironmentResolver resolver, IRoleLookup roles, IApprovalApplier applier, IAuditSink audit, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _roles = roles ?? throw new ArgumentNullException(nameof(roles));
        _applier = applier ?? throw new ArgumentNullException(nameof(applier));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The audit entry of an approval's own move.</summary>
    /// <param name="approval">The approval after the move.</param>
    /// <param name="actor">Who moved it.</param>
    /// <param name="action">approval.request, approval.approve, approval.reject or approval.expire.</param>
    /// <param name="before">The approval before, or null.</param>
    public static AuditEntry Entry(Approval approval, string actor, string action, Approval? before = null)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return new AuditEntry(
            actor, action, "approval", approval.Id.ToString(CultureInfo.InvariantCulture),
            before is null ? null : EnvironmentWire.Json(before), EnvironmentWire.Json(approval), approval.Environment, approval.Id);
    }

    /// <summary>Approvals newest first, by state and environment.</summary>
    public async Task<IReadOnlyList<Approval>> ListAsync(string? state, string? environment, int? maxResults, CancellationToken cancellationToken = default)
    {
        var query = new ApprovalQuery(
            EnvironmentRules.State(state), environment is null ? null : EnvironmentRules.Environment(environment), Math.Clamp(maxResults ?? 100, 1, 1000));
        var list = await _store.ListApprovalsAsync(query, cancellationToken).ConfigureAwait(false);
        if (!list.Any(IsDue))
        {
            return list;
        }

        foreach (var due in list.Where(IsDue))
        {
            await ExpireAsync(due, cancellationToken).ConfigureAwait(false);
        }

        return await _store.ListApprovalsAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One approval; expired first when it is past its expiry.</summary>
    public async Task<Approval> GetAsync(string? id, CancellationToken cancellationToken = default) =>
        await FreshAsync(EnvironmentRules.ApprovalId(id), cancellationToken).ConfigureAwait(false);

    /// <summary>An explicit request (a pipeline's or the CLI's); its environment is given or that of kind/resource.</summary>
    public async Task<Approval> RequestAsync(
        string? environment, string? kind, string? resource, string? action, JsonElement? request, JsonElement? evidence, string? reason, string? actor, CancellationToken cancellationToken = default)
    {
        var a = EnvironmentRules.Action(action);
        string env;
        string res;
        if (environment is not null)
        {
            env = EnvironmentRules.Environment(environment);
            res = kind is null ? Ids.Require(resource, "resource") : EnvironmentRules.Resource(EnvironmentRules.Kind(kind), resource);
        }
        else
        {
            var k = EnvironmentRules.Kind(kind ?? throw KeelException.MissingParameter("environment"));
            res = EnvironmentRules.Resource(k, resource);
            env = await _resolver.ResolveAsync(k, res, null, cancellationToken).ConfigureAwait(false);
        }

        var payload = Object(request, "request") ?? "{}";
        var proof = Object(evidence, "evidence");
        var policy = await _store.GetPolicyAsync(env, cancellationToken).ConfigureAwait(false);
        var requester = actor ?? "anonymous";
        var approval = await _store.CreateApprovalAsync(
            new NewApproval(env, a, res, payload, proof, requester, EnvironmentRules.Comment(reason, "reason"), Now() + (policy.ApprovalTtlSeconds * 1000)),
            cancellationToken).ConfigureAwait(false);
        await _audit.RecordAsync(Entry(approval, requester, "approval.request"), cancellationToken).ConfigureAwait(false);
        return approval;
    }

    /// <summary>
    /// Approves a request and, for an action the server carries out, makes the change as the
    /// requester under the approval: applied, or failed with the error when it is no longer possible.
    /// </summary>
    /// <param name="id">The approval.</param>
    /// <param name="comment">The reviewer's comment.</param>
    /// <param name="expectedVersion">The version the decision is made from, or null.</param>
    /// <param name="actor">The reviewer.</param>
    /// <param name="isAdmin">Whether the reviewer is an admin (everyone, with authentication off).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<Approval> ApproveAsync(string? id, string? comment, long? expectedVersion, string? actor, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var current = await FreshAsync(EnvironmentRules.ApprovalId(id), cancellationToken).ConfigureAwait(false);
        var approver = actor ?? "anonymous";
        EnsureDecidable(current, ApprovalState.Approved);
        if (approver == current.Requester)
        {
            throw new KeelException(ErrorCode.PermissionDenied, $"Four-eyes rule: {approver} requested approval {current.Id} and cannot approve it; someone else with the deployer or admin role in '{current.Environment}' must.");
        }

        if (ApprovalEvidence.RunCreator(current.Evidence) is { } creator && creator == approver)
        {
            throw new KeelException(ErrorCode.PermissionDenied, $"Four-eyes rule: {approver} created the source run of the model version in approval {current.Id} and cannot approve it.");
        }

        await EnsureReviewerAsync(current, approver, isAdmin, "approve", cancellationToken).ConfigureAwait(false);
        var approved = await _store.DecideAsync(
            current.Id, new ApprovalDecision(ApprovalState.Approved, approver, EnvironmentRules.Comment(comment, "comment"), expectedVersion), cancellationToken).ConfigureAwait(false);
        await _audit.RecordAsync(Entry(approved, approver, "approval.approve", current), cancellationToken).ConfigureAwait(false);
        if (!_applier.CanApply(approved.Action) || CarriedOutByStep(approved))
        {
            return approved;
        }

        ApprovalDecision outcome;
        try
        {
            using (ApprovalScope.Enter(approved))
            {
                var result = await _applier.ApplyAsync(approved, cancellationToken).ConfigureAwait(false);
                outcome = new ApprovalDecision(ApprovalState.Applied, null, null, approved.Version, Result: result);
            }
        }
        catch (KeelException e)
        {
            outcome = new ApprovalDecision(ApprovalState.Failed, null, null, approved.Version, Error: e.Message);
        }
        catch (ApprovalRequiredException e)
        {
            // The change now deploys somewhere else that needs approval (the resource moved): that request stands on its own.
            outcome = new ApprovalDecision(ApprovalState.Failed, null, null, approved.Version, Error: e.Message);
        }

        return await _store.DecideAsync(approved.Id, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rejects a request, with a comment saying why; the change is never made.</summary>
    public async Task<Approval> RejectAsync(string? id, string? comment, long? expectedVersion, string? actor, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var current = await FreshAsync(EnvironmentRules.ApprovalId(id), cancellationToken).ConfigureAwait(false);
        var reviewer = actor ?? "anonymous";
        var why = EnvironmentRules.Comment(comment, "comment") ?? throw KeelException.MissingParameter("comment");
        EnsureDecidable(current, ApprovalState.Rejected);
        if (reviewer != current.Requester)
        {
            // A requester may withdraw their own request; anyone else needs the role to decide.
            await EnsureReviewerAsync(current, reviewer, isAdmin, "reject", cancellationToken).ConfigureAwait(false);
        }

        var rejected = await _store.DecideAsync(current.Id, new ApprovalDecision(ApprovalState.Rejected, reviewer, why, expectedVersion), cancellationToken).ConfigureAwait(false);
        await _audit.RecordAsync(Entry(rejected, reviewer, "approval.reject", current), cancellationToken).ConfigureAwait(false);
        return rejected;
    }

    /// <summary>Expires every request past its expiry (the server's sweep); returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken = default)
    {
        var expired = 0;
        foreach (var due in (await _store.ListApprovalsAsync(new ApprovalQuery(ApprovalState.Requested, null, 1000), cancellationToken).ConfigureAwait(false)).Where(IsDue))
        {
            if (await ExpireAsync(due, cancellationToken).ConfigureAwait(false))
            {
                expired++;
            }
        }

        return expired;
    }

    private static bool CarriedOutByStep(Approval approval) =>
        JsonNode.Parse(approval.Request) is JsonObject o && o[CarriedOutByField] is JsonValue v && v.TryGetValue<string>(out var by) && by == CarriedOutByStepValue;

    private static void EnsureDecidable(Approval current, ApprovalState to)
    {
        if (!ApprovalTransitions.IsAllowed(current.State, to))
        {
            throw new KeelException(
                ErrorCode.ResourceConflict,
                string.Create(CultureInfo.InvariantCulture, $"Approval {current.Id} is {ApprovalTransitions.Name(current.State)}; it cannot become {ApprovalTransitions.Name(to)}."));
        }
    }

    private static string? Object(JsonElement? element, string field) => element switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.Object } e => JsonNode.Parse(e.GetRawText())!.ToJsonString(),
        _ => throw KeelException.InvalidParameter($"Invalid value for parameter '{field}': it must be a JSON object."),
    };

    private async Task EnsureReviewerAsync(Approval approval, string reviewer, bool isAdmin, string verb, CancellationToken cancellationToken)
    {
        if (isAdmin || await _roles.RoleOfAsync(reviewer, approval.Environment, cancellationToken).ConfigureAwait(false) >= EnvironmentRole.Deployer)
        {
            return;
        }

        throw new KeelException(ErrorCode.PermissionDenied, $"{reviewer} may not {verb} approval {approval.Id}: that needs the deployer or admin role in '{approval.Environment}'.");
    }

    private async Task<Approval> FreshAsync(long id, CancellationToken cancellationToken)
    {
        var approval = await _store.FindApprovalAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw KeelException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Approval {id} does not exist."));
        if (IsDue(approval))
        {
            await ExpireAsync(approval, cancellationToken).ConfigureAwait(false);
            approval = (await _store.FindApprovalAsync(id, cancellationToken).ConfigureAwait(false))!;
        }

        return approval;
    }

    private bool IsDue(Approval a) => a.State == ApprovalState.Requested && a.ExpiresAt <= Now();

    // Another replica or the sweep may expire it first: that is not an error.
    private async Task<bool> ExpireAsync(Approval due, CancellationToken cancellationToken)
    {
        Approval expired;
        try
        {
            expired = await _store.DecideAsync(due.Id, new ApprovalDecision(ApprovalState.Expired, null, null, due.Version), cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
        {
            return false;
        }

        await _audit.RecordAsync(Entry(expired, SystemActor, "approval.expire", due), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
