using Keel.Core.Features;
using Keel.Core.Wire;

namespace Keel.Application.Features;

/// <summary>Plans between their records and their wire shape (the server writes it, the SDK reads it).</summary>
public static class FeaturePlanWire
{
    /// <summary>A plan's wire shape; with <paramref name="result"/>, an apply's.</summary>
    public static FeaturePlanResponse ToWire(FeaturePlan plan, FeatureApplyResult? result)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new FeaturePlanResponse
        {
            Revision = plan.Revision,
            Items = [.. plan.Items.Select(ToWire)],
            Applied = result?.Applied,
            AppliedRevision = result?.Catalog.Revision,
        };
    }

    /// <summary>A plan line's wire shape.</summary>
    public static FeaturePlanItemWire ToWire(FeaturePlanItem i)
    {
        ArgumentNullException.ThrowIfNull(i);
        return new FeaturePlanItemWire
        {
            Kind = FeatureWireMapping.KindName(i.Kind),
            Name = i.Name,
            Action = FeatureRegistryService.ActionName(i.Action),
            VersionBefore = i.VersionBefore,
            VersionAfter = i.VersionAfter,
            Reason = i.Reason.Length == 0 ? null : i.Reason,
            Refused = i.Refused ? true : null,
            Endpoints = i.Endpoints.Count == 0 ? null : [.. i.Endpoints.Select(e => new FeaturePlanEndpointWire { Name = e.Name, Environment = e.Environment, ModelUris = [.. e.ModelUris] })],
            Models = i.Models.Count == 0 ? null : [.. i.Models],
        };
    }

    /// <summary>Reads a plan sent by a server (definitions are not carried: the lines are for people).</summary>
    public static FeaturePlan FromWire(FeaturePlanResponse wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        return new FeaturePlan(
            wire.Revision ?? 0,
            [.. (wire.Items ?? []).Select(i => new FeaturePlanItem(
                FeatureWireMapping.ParseKind(i.Kind) ?? FeatureObjectKind.View, i.Name ?? string.Empty, Action(i.Action), i.VersionBefore, i.VersionAfter, i.Reason ?? string.Empty, null)
            {
                Endpoints = [.. (i.Endpoints ?? []).Select(e => new FeaturePlanEndpoint(e.Name ?? string.Empty, e.Environment ?? string.Empty, e.ModelUris ?? []))],
                Models = i.Models ?? [],
            })]);
    }

    private static FeaturePlanAction Action(string? name) => name switch
    {
        "create" => FeaturePlanAction.Create,
        "update" => FeaturePlanAction.Update,
        "new_version" => FeaturePlanAction.NewVersion,
        "delete" => FeaturePlanAction.Delete,
        _ => FeaturePlanAction.Unchanged,
    };
}
