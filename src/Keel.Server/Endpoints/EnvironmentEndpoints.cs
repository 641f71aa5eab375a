using Keel.Application.Governance;
using Keel.Core.Governance;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's environments and approvals API: environment policies (/api/2.0/keel/environments),
/// assignments of resources to environments (/api/2.0/keel/environments/assignments), and
/// approvals (/api/2.0/keel/approvals): list, read, request, approve (four-eyes; the server then
/// carries out the change) and reject. Every argument is checked by the use cases.
/// </summary>
internal static class EnvironmentEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel", "/ajax-api/2.0/keel" })
        {
            var environments = app.MapGroup(prefix + "/environments").WithTags("Environments")
                .PathParameter("name", "The environment, e.g. prod.");
            environments.MapGet(string.Empty, (Delegate)ListEnvironmentsAsync)
                .Describe<EnvironmentsResponse>("List environments", "Every environment's policy: the stored ones and the defaults (dev and staging without approval, prod requires approval; requests wait 24 hours).", 400);
            environments.MapGet("/assignments", (Delegate)ListAssignmentsAsync)
                .Describe<EnvironmentAssignmentsResponse>("List environment assignments", "Which environment each assigned resource is in; unassigned endpoints are in the environment they were created in, anything else unassigned in dev.", 400);
            environments.MapPut("/assignments", (Delegate)AssignAsync).Body<EnvironmentAssignmentInfo>()
                .Describe<EnvironmentAssignmentResponse>("Assign a resource to an environment", "Puts an endpoint, a model alias (MODEL@ALIAS, or *@ALIAS for that alias on every model; the exact one wins), a pipeline or a dataset in an environment, replacing its earlier one.", 400);
            environments.MapDelete("/assignments", (Delegate)UnassignAsync).Body<EnvironmentAssignmentInfo>()
                .Describe<EnvironmentAssignmentResponse>("Remove an environment assignment", "The resource returns to its default environment.", 400, 404);
            environments.MapPut("/{name}", PutEnvironmentAsync).Body<PutEnvironmentRequest>()
                .Describe<EnvironmentResponse>("Set an environment's policy", "Whether deploying changes (alias moves, rollouts, promotion, traffic) need another person's approval, and how long a request waits; a field left out keeps its value.", 400);

            var approvals = app.MapGroup(prefix + "/approvals").WithTags("Approvals")
                .PathParameter("id", "The approval's number.");
            approvals.MapGet(string.Empty, (Delegate)ListApprovalsAsync)
                .Describe<ApprovalsResponse>("List approvals", "Approvals newest first; requests past their expiry are shown expired.", 400)
                .Query("state", "requested, approved, rejected, expired, applied or failed.")
                .Query("environment", "Only this environment's.")
                .Query("max_results", "The most approvals, 1-1000 (default 100).", JsonSchemaType.Integer);
            approvals.MapPost(string.Empty, (Delegate)RequestAsync).Body<CreateApprovalRequest>()
                .Describe<ApprovalResponse>("Request an approval", "An explicit request (a pipeline's or the CLI's), dated and given the environment's TTL. Requests for the gated actions are carried out by the server once approved; any other action stays approved for its requester to act on.", 400);
            approvals.MapGet("/{id}", GetApprovalAsync)
                .Describe<ApprovalResponse>("Read an approval", "The request with its change, evidence, decision and outcome.", 400, 404);
            approvals.MapPost("/{id}/approve", ApproveAsync).Body<DecideApprovalRequest>(optional: true)
                .Describe<ApprovalResponse>("Approve a request", "Four-eyes: not by the requester, nor by the user who created the model version's source run; by a deployer or admin of the environment. The server then carries out the change as the requester (applied, or failed with the error). With expected_version, a request that changed since is a 409; a decided or expired request is a 409 and nothing changes.", 400, 403, 404, 409);
            approvals.MapPost("/{id}/reject", RejectAsync).Body<DecideApprovalRequest>()
                .Describe<ApprovalResponse>("Reject a request", "Rejects with a comment (required); the change is never made. A decided or expired request is a 409.", 400, 403, 404, 409);
        }
    }

    private static EnvironmentService Environments(HttpContext context) => context.RequestServices.GetRequiredService<EnvironmentService>();

    private static ApprovalService Approvals(HttpContext context) => context.RequestServices.GetRequiredService<ApprovalService>();

    private static async Task ListEnvironmentsAsync(HttpContext context)
    {
        var policies = await Environments(context).ListPoliciesAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new EnvironmentsResponse { Environments = [.. policies.Select(EnvironmentWire.ToWire)] }, EnvironmentJson.Default.EnvironmentsResponse).ConfigureAwait(false);
    }

    private static async Task PutEnvironmentAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, EnvironmentJson.Default.PutEnvironmentRequest).ConfigureAwait(false);
        var policy = await Environments(context).PutPolicyAsync(name, r.RequiresApproval, r.ApprovalTtlHours, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new EnvironmentResponse { Environment = EnvironmentWire.ToWire(policy) }, EnvironmentJson.Default.EnvironmentResponse).ConfigureAwait(false);
    }

    private static async Task ListAssignmentsAsync(HttpContext context)
    {
        var assignments = await Environments(context).ListAssignmentsAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context, new EnvironmentAssignmentsResponse { Assignments = [.. assignments.Select(EnvironmentWire.ToWire)] }, EnvironmentJson.Default.EnvironmentAssignmentsResponse).ConfigureAwait(false);
    }

    private static async Task AssignAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, EnvironmentJson.Default.EnvironmentAssignmentInfo).ConfigureAwait(false);
        var assignment = await Environments(context).AssignAsync(r.Kind, r.Resource, r.Environment, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new EnvironmentAssignmentResponse { Assignment = EnvironmentWire.ToWire(assignment) }, EnvironmentJson.Default.EnvironmentAssignmentResponse).ConfigureAwait(false);
    }

    private static async Task UnassignAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, EnvironmentJson.Default.EnvironmentAssignmentInfo).ConfigureAwait(false);
        await Environments(context).UnassignAsync(r.Kind, r.Resource, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new EnvironmentAssignmentResponse(), EnvironmentJson.Default.EnvironmentAssignmentResponse).ConfigureAwait(false);
    }

    private static async Task ListApprovalsAsync(HttpContext context)
    {
        var list = await Approvals(context).ListAsync(
            QueryArgs.String(context, "state"), QueryArgs.String(context, "environment"), QueryArgs.Int(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ApprovalsResponse { Approvals = [.. list.Select(EnvironmentWire.ToWire)] }, EnvironmentJson.Default.ApprovalsResponse).ConfigureAwait(false);
    }

    private static async Task RequestAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, EnvironmentJson.Default.CreateApprovalRequest).ConfigureAwait(false);
        var approval = await Approvals(context).RequestAsync(
            r.Environment, r.Kind, r.Resource, r.Action, r.Request, r.Evidence, r.Reason, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, approval, ApprovalRequiredException.Describe(approval)).ConfigureAwait(false);
    }

    private static async Task GetApprovalAsync(HttpContext context, string id)
    {
        var approval = await Approvals(context).GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, approval, null).ConfigureAwait(false);
    }

    private static async Task ApproveAsync(HttpContext context, string id)
    {
        var r = await WireIO.ReadAsync(context, EnvironmentJson.Default.DecideApprovalRequest).ConfigureAwait(false);
        var approval = await Approvals(context).ApproveAsync(id, r.Comment, r.ExpectedVersion, Actor.From(context), Actor.IsAdmin(context), context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, approval, Outcome(approval)).ConfigureAwait(false);
    }

    private static async Task RejectAsync(HttpContext context, string id)
    {
        var r = await WireIO.ReadAsync(context, EnvironmentJson.Default.DecideApprovalRequest).ConfigureAwait(false);
        var approval = await Approvals(context).RejectAsync(id, r.Comment, r.ExpectedVersion, Actor.From(context), Actor.IsAdmin(context), context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, approval, $"Approval {approval.Id} rejected; the change was not made.").ConfigureAwait(false);
    }

    private static string Outcome(Approval a) => a.State switch
    {
        ApprovalState.Applied => $"Approval {a.Id} approved and applied: {a.Result}.",
        ApprovalState.Failed => $"Approval {a.Id} approved, but the change could not be made: {a.Error}",
        _ => $"Approval {a.Id} approved; {a.Requester} may now make the change.",
    };

    private static Task WriteAsync(HttpContext context, Approval approval, string? message) =>
        WireIO.WriteAsync(context, new ApprovalResponse { Approval = EnvironmentWire.ToWire(approval), Message = message }, EnvironmentJson.Default.ApprovalResponse);
}
