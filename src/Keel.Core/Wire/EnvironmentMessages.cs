using System.Text.Json;

namespace Keel.Core.Wire;

/// <summary>An environment's policy on the wire.</summary>
public sealed class EnvironmentPolicyInfo
{
    /// <summary>The environment.</summary>
    public string? Name { get; set; }

    /// <summary>Whether deploying changes need another person's approval.</summary>
    public bool? RequiresApproval { get; set; }

    /// <summary>How long a request waits for a decision, in hours.</summary>
    public double? ApprovalTtlHours { get; set; }
}

/// <summary>Every environment's policy.</summary>
public sealed class EnvironmentsResponse
{
    /// <summary>The policies, by name.</summary>
    public List<EnvironmentPolicyInfo>? Environments { get; set; }
}

/// <summary>One environment's policy.</summary>
public sealed class EnvironmentResponse
{
    /// <summary>The policy.</summary>
    public EnvironmentPolicyInfo? Environment { get; set; }
}

/// <summary>Sets an environment's policy; a field left out keeps its value.</summary>
public sealed class PutEnvironmentRequest
{
    /// <summary>Whether deploying changes need approval.</summary>
    public bool? RequiresApproval { get; set; }

    /// <summary>How long a request waits, in hours (more than 0, at most a year).</summary>
    public double? ApprovalTtlHours { get; set; }
}

/// <summary>A resource's environment on the wire.</summary>
public sealed class EnvironmentAssignmentInfo
{
    /// <summary>endpoint, model_alias, pipeline or dataset.</summary>
    public string? Kind { get; set; }

    /// <summary>The resource: a name, or MODEL@ALIAS / *@ALIAS for aliases.</summary>
    public string? Resource { get; set; }

    /// <summary>The environment.</summary>
    public string? Environment { get; set; }
}

/// <summary>Every assignment.</summary>
public sealed class EnvironmentAssignmentsResponse
{
    /// <summary>The assignments, by kind and resource.</summary>
    public List<EnvironmentAssignmentInfo>? Assignments { get; set; }
}

/// <summary>One assignment.</summary>
public sealed class EnvironmentAssignmentResponse
{
    /// <summary>The assignment; absent after a removal.</summary>
    public EnvironmentAssignmentInfo? Assignment { get; set; }
}

/// <summary>An approval on the wire.</summary>
public sealed class ApprovalInfo
{
    /// <summary>The approval's number.</summary>
    public long? Id { get; set; }

    /// <summary>The environment the change deploys into.</summary>
    public string? Environment { get; set; }

    /// <summary>What the change is, e.g. registered_model.alias.set.</summary>
    public string? Action { get; set; }

    /// <summary>What it changes.</summary>
    public string? Resource { get; set; }

    /// <summary>The change's request payload.</summary>
    public JsonElement? Request { get; set; }

    /// <summary>The evidence: model version, run, datasets and digests, gate report, model card, traffic.</summary>
    public JsonElement? Evidence { get; set; }

    /// <summary>Who asked.</summary>
    public string? Requester { get; set; }

    /// <summary>Why, as the requester wrote it.</summary>
    public string? Reason { get; set; }

    /// <summary>requested, approved, rejected, expired, applied or failed.</summary>
    public string? State { get; set; }

    /// <summary>When it was requested, Unix milliseconds.</summary>
    public long? CreatedTime { get; set; }

    /// <summary>When it expires unless decided, Unix milliseconds.</summary>
    public long? ExpiresTime { get; set; }

    /// <summary>Who approved or rejected it.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>When it was decided or expired.</summary>
    public long? DecidedTime { get; set; }

    /// <summary>The reviewer's comment.</summary>
    public string? Comment { get; set; }

    /// <summary>When the change was carried out or failed.</summary>
    public long? AppliedTime { get; set; }

    /// <summary>What carrying it out produced.</summary>
    public string? Result { get; set; }

    /// <summary>Why carrying it out failed.</summary>
    public string? Error { get; set; }

    /// <summary>The version decisions are made from (expected_version).</summary>
    public long? Version { get; set; }
}

/// <summary>Approvals, newest first.</summary>
public sealed class ApprovalsResponse
{
    /// <summary>The approvals.</summary>
    public List<ApprovalInfo>? Approvals { get; set; }
}

/// <summary>One approval, with a sentence for people (202 answers say what waits and how to approve it).</summary>
public sealed class ApprovalResponse
{
    /// <summary>The approval.</summary>
    public ApprovalInfo? Approval { get; set; }

    /// <summary>What happened, for people.</summary>
    public string? Message { get; set; }
}

/// <summary>An explicit request for approval (a pipeline's or the CLI's).</summary>
public sealed class CreateApprovalRequest
{
    /// <summary>The environment; when left out, the environment of kind/resource.</summary>
    public string? Environment { get; set; }

    /// <summary>The kind of resource, to find its environment: endpoint, model_alias, pipeline, dataset.</summary>
    public string? Kind { get; set; }

    /// <summary>The resource.</summary>
    public string? Resource { get; set; }

    /// <summary>What the change is (dotted words). The server carries out registered_model.alias.set/delete, endpoint.rollout.start, endpoint.promote and endpoint.traffic.set itself once approved.</summary>
    public string? Action { get; set; }

    /// <summary>The change's arguments (an object).</summary>
    public JsonElement? Request { get; set; }

    /// <summary>Evidence for the reviewer (an object).</summary>
    public JsonElement? Evidence { get; set; }

    /// <summary>Why.</summary>
    public string? Reason { get; set; }
}

/// <summary>Approves or rejects a request.</summary>
public sealed class DecideApprovalRequest
{
    /// <summary>The reviewer's comment (required to reject).</summary>
    public string? Comment { get; set; }

    /// <summary>The version the decision is made from; another is a 409 conflict.</summary>
    public long? ExpectedVersion { get; set; }
}
