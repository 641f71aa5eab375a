using System.Text.Json.Nodes;
using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>A deploying change as a use case describes it to the gate, before it makes it.</summary>
/// <param name="Action">What the change is, e.g. <c>registered_model.alias.set</c>.</param>
/// <param name="Kind">The kind of resource it changes.</param>
/// <param name="Resource">The resource (<c>MODEL@ALIAS</c>, an endpoint's name).</param>
/// <param name="DeclaredEnvironment">The environment the resource names itself (an endpoint's), or null.</param>
/// <param name="Request">The change's arguments, enough to make it again once approved.</param>
/// <param name="Actor">Who asks.</param>
/// <param name="Model">The model version the change deploys, as (name, version), for the evidence; or null.</param>
/// <param name="CurrentTraffic">For endpoints: the routes now, or null.</param>
/// <param name="ProposedTraffic">For endpoints: the routes the change would set, or null.</param>
public sealed record GatedChange(
    string Action,
    GovernedResource Kind,
    string Resource,
    string? DeclaredEnvironment,
    JsonObject Request,
    string? Actor,
    (string Name, long Version)? Model = null,
    JsonNode? CurrentTraffic = null,
    JsonNode? ProposedTraffic = null);
