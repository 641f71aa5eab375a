using System.Globalization;
using Keel.Client.Internal;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Wire;

namespace Keel.Client;

/// <summary>
/// Environments and approvals over a Keel server's API (<c>/api/2.0/keel/environments</c>,
/// <c>/api/2.0/keel/approvals</c>): policies, assignments, and approvals (list, read, request,
/// approve, reject). Decisions run the server's rules (four-eyes, roles, expiry, the version check);
/// approving a gated change makes the server carry it out. Reads are retried; changes are not.
/// </summary>
public sealed class RestEnvironmentStore
{
    private const string Environments = "/api/2.0/keel/environments";
    private const string Approvals = "/api/2.0/keel/approvals";
    private readonly RestTransport _transport;

    internal RestEnvironmentStore(RestTransport transport) => _transport = transport;

    /// <summary>Every environment's policy, defaults included.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<EnvironmentPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) =>
        [.. ((await _transport.GetJsonAsync(Environments, [], EnvironmentJson.Default.EnvironmentsResponse, cancellationToken).ConfigureAwait(false)).Environments ?? []).Select(EnvironmentWire.FromWire)];

    /// <summary>Sets an environment's policy; a null value keeps the current one.</summary>
    /// <param name="name">The environment.</param>
    /// <param name="requiresApproval">Whether deploying changes need approval.</param>
    /// <param name="ttlHours">How long a request waits, in hours.</param>
    /// <param name="actor">Who sets it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<EnvironmentPolicy> PutPolicyAsync(string name, bool? requiresApproval, double? ttlHours, string? actor, CancellationToken cancellationToken = default) =>
        EnvironmentWire.FromWire((await _transport.SendJsonAsync(
            HttpMethod.Put, Environments + "/" + Uri.EscapeDataString(name), new PutEnvironmentRequest { RequiresApproval = requiresApproval, ApprovalTtlHours = ttlHours },
            EnvironmentJson.Default.PutEnvironmentRequest, EnvironmentJson.Default.EnvironmentResponse, retry: false, actor, cancellationToken).ConfigureAwait(false)).Environment
            ?? throw Malformed("environment"));

    /// <summary>Every assignment.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<EnvironmentAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken = default) =>
        [.. ((await _transport.GetJsonAsync(Environments + "/assignments", [], EnvironmentJson.Default.EnvironmentAssignmentsResponse, cancellationToken).ConfigureAwait(false)).Assignments ?? [])
            .Select(EnvironmentWire.FromWire)];

    /// <summary>Puts a resource in an environment.</summary>
    /// <param name="kind">endpoint, model_alias, pipeline or dataset.</param>
    /// <param name="resource">The resource (MODEL@ALIAS or *@ALIAS for aliases).</param>
    /// <param name="environment">The environment.</param>
    /// <param name="actor">Who assigns it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<EnvironmentAssignment> AssignAsync(string kind, string resource, string environment, string? actor, CancellationToken cancellationToken = default) =>
        EnvironmentWire.FromWire((await _transport.SendJsonAsync(
            HttpMethod.Put, Environments + "/assignments", new EnvironmentAssignmentInfo { Kind = kind, Resource = resource, Environment = environment },
            EnvironmentJson.Default.EnvironmentAssignmentInfo, EnvironmentJson.Default.EnvironmentAssignmentResponse, retry: false, actor, cancellationToken).ConfigureAwait(false)).Assignment
            ?? throw Malformed("assignment"));

    /// <summary>Returns a resource to its default environment.</summary>
    /// <param name="kind">Its kind.</param>
    /// <param name="resource">The resource.</param>
    /// <param name="actor">Who removes the assignment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task UnassignAsync(string kind, string resource, string? actor, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Delete, Environments + "/assignments", new EnvironmentAssignmentInfo { Kind = kind, Resource = resource },
            EnvironmentJson.Default.EnvironmentAssignmentInfo, EnvironmentJson.Default.EnvironmentAssignmentResponse, retry: false, actor, cancellationToken);

    /// <summary>Approvals newest first.</summary>
    /// <param name="query">Which.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return [.. ((await _transport.GetJsonAsync(
            Approvals,
            [new("state", query.State is { } s ? ApprovalTransitions.Name(s) : null), new("environment", query.Environment), new("max_results", Number(query.MaxResults))],
            EnvironmentJson.Default.ApprovalsResponse, cancellationToken).ConfigureAwait(false)).Approvals ?? []).Select(EnvironmentWire.FromWire)];
    }

    /// <summary>The approval, or null.</summary>
    /// <param name="id">Its number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<Approval?> FindApprovalAsync(long id, CancellationToken cancellationToken = default)
    {
        try
        {
            return Read(await _transport.GetJsonAsync(Approvals + "/" + Number(id), [], EnvironmentJson.Default.ApprovalResponse, cancellationToken).ConfigureAwait(false));
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>An explicit request for approval.</summary>
    /// <param name="request">The request.</param>
    /// <param name="actor">The requester.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<Approval> RequestAsync(CreateApprovalRequest request, string? actor, CancellationToken cancellationToken = default) =>
        Read(await _transport.SendJsonAsync(
            HttpMethod.Post, Approvals, request, EnvironmentJson.Default.CreateApprovalRequest, EnvironmentJson.Default.ApprovalResponse, retry: false, actor, cancellationToken).ConfigureAwait(false));

    /// <summary>Approves a request (the server then carries out a gated change and answers its outcome: applied or failed).</summary>
    /// <param name="id">The approval.</param>
    /// <param name="comment">The reviewer's comment.</param>
    /// <param name="expectedVersion">The version the decision is made from, or null.</param>
    /// <param name="actor">The reviewer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Approval> ApproveAsync(long id, string? comment, long? expectedVersion, string? actor, CancellationToken cancellationToken = default) =>
        DecideAsync(id, "approve", comment, expectedVersion, actor, cancellationToken);

    /// <summary>Rejects a request.</summary>
    /// <param name="id">The approval.</param>
    /// <param name="comment">Why (required).</param>
    /// <param name="expectedVersion">The version the decision is made from, or null.</param>
    /// <param name="actor">The reviewer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Approval> RejectAsync(long id, string comment, long? expectedVersion, string? actor, CancellationToken cancellationToken = default) =>
        DecideAsync(id, "reject", comment, expectedVersion, actor, cancellationToken);

    private async Task<Approval> DecideAsync(long id, string verb, string? comment, long? expectedVersion, string? actor, CancellationToken cancellationToken) =>
        Read(await _transport.SendJsonAsync(
            HttpMethod.Post, Approvals + "/" + Number(id) + "/" + verb, new DecideApprovalRequest { Comment = comment, ExpectedVersion = expectedVersion },
            EnvironmentJson.Default.DecideApprovalRequest, EnvironmentJson.Default.ApprovalResponse, retry: false, actor, cancellationToken).ConfigureAwait(false));

    private static Approval Read(ApprovalResponse response) => EnvironmentWire.FromWire(response.Approval ?? throw Malformed("approval"));

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static KeelException Malformed(string field) => new(ErrorCode.InternalError, $"The server's environments answer has no '{field}'.");
}
