using System.Text.Json;
using Keel.Core.Governance;

namespace Keel.Core.Wire;

/// <summary>Maps environments, assignments and approvals to and from their wire shapes (shared by server and SDK).</summary>
public static class EnvironmentWire
{
    private static readonly string[] KindNames = ["endpoint", "model_alias", "pipeline", "dataset"];

    /// <summary>The wire shape of a policy.</summary>
    public static EnvironmentPolicyInfo ToWire(EnvironmentPolicy p) =>
        new() { Name = p.Name, RequiresApproval = p.RequiresApproval, ApprovalTtlHours = p.ApprovalTtlSeconds / 3600.0 };

    /// <summary>The policy of a wire shape.</summary>
    public static EnvironmentPolicy FromWire(EnvironmentPolicyInfo p) =>
        new(p.Name ?? string.Empty, p.RequiresApproval ?? false, (long)Math.Round((p.ApprovalTtlHours ?? 24) * 3600));

    /// <summary>The wire name of a resource kind.</summary>
    public static string KindName(GovernedResource kind) => KindNames[(int)kind];

    /// <summary>The kind of a wire name, or null.</summary>
    public static GovernedResource? ParseKind(string? name) => Array.IndexOf(KindNames, name) is var i and >= 0 ? (GovernedResource)i : null;

    /// <summary>The wire shape of an assignment.</summary>
    public static EnvironmentAssignmentInfo ToWire(EnvironmentAssignment a) =>
        new() { Kind = KindName(a.Kind), Resource = a.Resource, Environment = a.Environment };

    /// <summary>The assignment of a wire shape.</summary>
    public static EnvironmentAssignment FromWire(EnvironmentAssignmentInfo a) =>
        new(ParseKind(a.Kind) ?? GovernedResource.Endpoint, a.Resource ?? string.Empty, a.Environment ?? string.Empty);

    /// <summary>The wire shape of an approval.</summary>
    public static ApprovalInfo ToWire(Approval a) => new()
    {
        Id = a.Id,
        Environment = a.Environment,
        Action = a.Action,
        Resource = a.Resource,
        Request = Element(a.Request),
        Evidence = a.Evidence is null ? null : Element(a.Evidence),
        Requester = a.Requester,
        Reason = a.Reason,
        State = ApprovalTransitions.Name(a.State),
        CreatedTime = a.CreatedAt,
        ExpiresTime = a.ExpiresAt,
        DecidedBy = a.DecidedBy,
        DecidedTime = a.DecidedAt,
        Comment = a.Comment,
        AppliedTime = a.AppliedAt,
        Result = a.Result,
        Error = a.Error,
        Version = a.Version,
    };

    /// <summary>The approval of a wire shape.</summary>
    public static Approval FromWire(ApprovalInfo a) => new(
        a.Id ?? 0, a.Environment ?? string.Empty, a.Action ?? string.Empty, a.Resource ?? string.Empty,
        a.Request is { } r ? r.GetRawText() : "{}", a.Evidence is { ValueKind: not JsonValueKind.Null } e ? e.GetRawText() : null,
        a.Requester ?? string.Empty, a.Reason, ApprovalTransitions.Parse(a.State) ?? ApprovalState.Requested,
        a.CreatedTime ?? 0, a.ExpiresTime ?? 0, a.DecidedBy, a.DecidedTime, a.Comment, a.AppliedTime, a.Result, a.Error, a.Version ?? 0);

    /// <summary>The approval as canonical JSON (for audit entries).</summary>
    public static string Json(Approval a) => JsonSerializer.Serialize(ToWire(a), EnvironmentJson.Default.ApprovalInfo);

    private static JsonElement? Element(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json, EnvironmentJson.Default.String);
        }
    }
}
