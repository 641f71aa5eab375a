using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Application.Governance;
using Keel.Core.Governance;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Wire;

namespace Keel.Application;

// Starting a rollout, promoting and setting traffic deploy into the endpoint's environment: each
// change passes the environment gate with the traffic now and as proposed, after the change is
// computed and before anything is loaded or stored. The gate may store a request for approval
// instead (the change is then made by the server, under the approval, once someone approves it).
public sealed partial class ServingService
{
    /// <summary>The environment gate deploying changes pass; open (no approvals) unless the host sets it.</summary>
    public IChangeGate Gate { get; init; } = IChangeGate.Open;

    private static Func<Endpoint, Endpoint, GatedChange> Gated<T>(string action, T request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string? actor, string? modelUri) =>
        (current, next) => new GatedChange(
            action, GovernedResource.Endpoint, current.Name, current.Environment,
            Named(JsonNode.Parse(JsonSerializer.Serialize(request, type)) as JsonObject ?? [], current.Name),
            actor, ModelOf(modelUri ?? next.Routes.FirstOrDefault(r => r.Role == RouteRole.Primary)?.ModelUri), Traffic(current), Traffic(next));

    private static JsonObject Named(JsonObject body, string name)
    {
        body["name"] = name;
        return body;
    }

    private static (string Name, long Version)? ModelOf(string? uri)
    {
        try
        {
            return uri is not null && ModelUri.Parse(uri) is { Kind: ModelUriKind.Version, Version: { } v } parsed ? (parsed.Name, v) : null;
        }
        catch (Keel.Core.Errors.KeelException)
        {
            return null;
        }
    }

    private static JsonArray Traffic(Endpoint e) =>
        [.. e.Routes.Select(r => new JsonObject { ["model_uri"] = r.ModelUri, ["weight"] = r.Weight, ["role"] = r.Role.ToString().ToLowerInvariant() })];
}
