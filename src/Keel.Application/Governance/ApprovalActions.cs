using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Wire;

namespace Keel.Application.Governance;

/// <summary>
/// Carries out the deploying changes the server gates, once approved: the same use case the
/// requester called, as the requester, with the stored (already pinned) arguments. Runs under the
/// approval's <see cref="ApprovalScope"/>, so the gate lets it through and its audit entry names
/// the approval.
/// </summary>
public sealed class ApprovalActions : IApprovalApplier
{
    private static readonly HashSet<string> Actions =
        ["registered_model.alias.set", "registered_model.alias.delete", "endpoint.rollout.start", "endpoint.promote", "endpoint.traffic.set"];

    private readonly RegistryService _registry;
    private readonly Func<ServingService?> _serving;

    /// <param name="registry">Alias moves.</param>
    /// <param name="serving">Endpoint changes; null when the host serves nothing.</param>
    public ApprovalActions(RegistryService registry, Func<ServingService?> serving)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _serving = serving ?? throw new ArgumentNullException(nameof(serving));
    }

    public bool CanApply(string action) => Actions.Contains(action);

    public async Task<string> ApplyAsync(Approval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var body = JsonNode.Parse(approval.Request) as JsonObject ?? throw Malformed(approval);
        var name = body["name"]?.GetValue<string>() ?? throw Malformed(approval);
        var actor = approval.Requester;
        switch (approval.Action)
        {
            case "registered_model.alias.set":
                var version = body["version"]?.GetValue<string>();
                await _registry.SetAliasAsync(name, body["alias"]?.GetValue<string>(), version, actor, cancellationToken).ConfigureAwait(false);
                return $"alias {approval.Resource} now points to version {version}";
            case "registered_model.alias.delete":
                await _registry.DeleteAliasAsync(name, body["alias"]?.GetValue<string>(), actor, cancellationToken).ConfigureAwait(false);
                return $"alias {approval.Resource} deleted";
            case "endpoint.rollout.start":
                var start = JsonSerializer.Deserialize(approval.Request, ServingJson.Default.StartRolloutRequest) ?? throw Malformed(approval);
                var started = await Serving().StartRolloutAsync(name, start.ModelUri, start.Steps, start.HoldSeconds, start.HoldRequests, start.Policy, actor, cancellationToken).ConfigureAwait(false);
                return string.Create(CultureInfo.InvariantCulture, $"rollout {started.Rollout?.Id} of {start.ModelUri} started on '{name}' (endpoint version {started.Version})");
            case "endpoint.promote":
                var promote = JsonSerializer.Deserialize(approval.Request, ServingJson.Default.EndpointActionRequest) ?? throw Malformed(approval);
                var promoted = await Serving().PromoteAsync(name, promote.Reason, null, actor, cancellationToken).ConfigureAwait(false);
                return string.Create(CultureInfo.InvariantCulture, $"'{name}' promoted {promoted.Primary.ModelUri} (endpoint version {promoted.Version})");
            case "endpoint.traffic.set":
                var traffic = JsonSerializer.Deserialize(approval.Request, ServingJson.Default.SetTrafficRequest) ?? throw Malformed(approval);
                var set = await Serving().SetTrafficAsync(name, traffic.Mode, traffic.ModelUri, traffic.Weight, traffic.StickyKey, actor, cancellationToken).ConfigureAwait(false);
                return string.Create(CultureInfo.InvariantCulture, $"traffic of '{name}' set (endpoint version {set.Version})");
            default:
                throw new KeelException(ErrorCode.InvalidParameterValue, $"Approval {approval.Id}: the server does not carry out '{approval.Action}'.");
        }
    }

    private static KeelException Malformed(Approval approval) =>
        new(ErrorCode.InvalidParameterValue, string.Create(CultureInfo.InvariantCulture, $"Approval {approval.Id}: its request payload does not describe a {approval.Action} change."));

    private ServingService Serving() => _serving() ?? throw new KeelException(ErrorCode.NotImplemented, "This server does not serve models.");
}
