using Keel.Application.Features;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Core.Wire;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's feature registry API (/api/2.0/keel/features): the catalog, plan and apply of definitions
/// (every version kept; breaking changes to what production endpoints read refused unless forced),
/// versions, and materialization state. Every argument is checked by <see cref="FeatureRegistryService"/>.
/// </summary>
internal static class FeatureEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/features", "/ajax-api/2.0/keel/features" })
        {
            var group = app.MapGroup(prefix).WithTags("Features")
                .PathParameter("view", "The feature view's name.");
            group.MapGet("/catalog", (Delegate)CatalogAsync)
                .Describe<FeatureCatalogResponse>("Read the feature catalog", "Every live definition (entities, sources, feature views, on-demand views, services) at its current version, with the catalog revision an apply names.", 400);
            group.MapPost("/plan", (Delegate)PlanAsync).Body<FeaturePlanRequest>()
                .Describe<FeaturePlanResponse>("Plan feature definitions", "What applying the definitions would do, per definition: create, update (metadata in place), new_version (schema), delete (absent) or unchanged; breaking changes to what a production endpoint reads are marked refused, naming the endpoints and their models. Changes nothing.", 400);
            group.MapPost("/apply", (Delegate)ApplyAsync).Body<FeatureApplyRequest>()
                .Describe<FeaturePlanResponse>("Apply feature definitions", "Applies definitions (planned here) or changes (planned by the caller) in one transaction from expected_revision. A breaking change to a view a production endpoint reads is refused (409, naming the endpoints) unless force; a stale expected_revision is 409 with current_revision. Nothing changes when refused.", 400, 409);
            group.MapGet("/versions", (Delegate)VersionsAsync)
                .Describe<FeatureVersionsResponse>("List a definition's versions", "Every stored version of a definition, oldest first, deleted ones included.", 400, 404)
                .Query("name", "The definition's name.", required: true)
                .Query("kind", "entity, source, feature_view, on_demand_feature_view or feature_service (default: whichever has the name, views first).");
            group.MapGet("/materialization/{view}", MaterializationAsync)
                .Describe<MaterializationResponse>("Read a view's materialization state", "Where materialization of the view has got to (watermark, view version, rows, revision); no state when it never ran.", 400);
            group.MapPost("/materialization/{view}", RecordMaterializationAsync).Body<RecordMaterializationRequest>()
                .Describe<MaterializationResponse>("Record a materialization run", "Stores the view's new state when the stored one is still at expected_revision (0: none) and the lease fence, when given, is current; else 409 and nothing changes.", 400, 409);
        }
    }

    private static FeatureRegistryService Service(HttpContext context) => context.RequestServices.GetRequiredService<FeatureRegistryService>();

    private static async Task CatalogAsync(HttpContext context)
    {
        var catalog = await Service(context).GetCatalogAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context, new FeatureCatalogResponse { Revision = catalog.Revision, Objects = [.. catalog.Objects.Select(FeatureWireMapping.ToWire)] }, FeatureJson.Default.FeatureCatalogResponse).ConfigureAwait(false);
    }

    private static async Task PlanAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, FeatureJson.Default.FeaturePlanRequest).ConfigureAwait(false);
        var plan = await Service(context).PlanAsync(Definitions(r.Definitions), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, FeaturePlanWire.ToWire(plan, null), FeatureJson.Default.FeaturePlanResponse).ConfigureAwait(false);
    }

    private static async Task ApplyAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, FeatureJson.Default.FeatureApplyRequest).ConfigureAwait(false);
        try
        {
            FeatureApplyResult result;
            if (r.Changes is { } changes)
            {
                if (r.Definitions is not null)
                {
                    throw KeelException.InvalidParameter("Send either 'definitions' or 'changes', not both.");
                }

                var expected = r.ExpectedRevision ?? throw KeelException.MissingParameter("expected_revision");
                var errors = new List<string>();
                var parsed = changes.Select((c, i) => FeatureWireMapping.ChangeFromWire(c, $"changes[{i}]", errors)).ToList();
                FeatureDefinitionsValidator.ThrowIfAny(errors, "feature changes");
                result = await Service(context).ApplyChangesAsync(parsed, expected, r.Force ?? false, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                result = await Service(context).ApplyAsync(Definitions(r.Definitions), r.Force ?? false, Actor.From(context), r.ExpectedRevision, context.RequestAborted).ConfigureAwait(false);
            }

            await WireIO.WriteAsync(context, FeaturePlanWire.ToWire(result.Plan, result), FeatureJson.Default.FeaturePlanResponse).ConfigureAwait(false);
        }
        catch (FeatureCatalogConflictException e) when (!context.Response.HasStarted)
        {
            // The usual error body plus the revision now, so the SDK rebuilds the conflict whole.
            await WireIO.WriteAsync(
                context, new FeatureConflictResponse { ErrorCode = ErrorCodes.ToWire(e.Code), Message = e.Message, CurrentRevision = e.CurrentRevision },
                FeatureJson.Default.FeatureConflictResponse, e.HttpStatus).ConfigureAwait(false);
        }
    }

    private static async Task VersionsAsync(HttpContext context)
    {
        var kindText = QueryArgs.String(context, "kind");
        FeatureObjectKind? kind = null;
        if (!string.IsNullOrWhiteSpace(kindText))
        {
            kind = FeatureWireMapping.ParseKind(kindText) ?? throw KeelException.InvalidParameter($"Parameter 'kind' must be entity, source, feature_view, on_demand_feature_view or feature_service, got '{kindText}'.");
        }

        var versions = await Service(context).ListVersionsAsync(QueryArgs.String(context, "name"), kind, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new FeatureVersionsResponse { Versions = [.. versions.Select(FeatureWireMapping.ToWire)] }, FeatureJson.Default.FeatureVersionsResponse).ConfigureAwait(false);
    }

    private static async Task MaterializationAsync(HttpContext context, string view)
    {
        var state = await Service(context).GetMaterializationAsync(view, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new MaterializationResponse { State = state is null ? null : FeatureWireMapping.ToWire(state) }, FeatureJson.Default.MaterializationResponse).ConfigureAwait(false);
    }

    private static async Task RecordMaterializationAsync(HttpContext context, string view)
    {
        var r = await WireIO.ReadAsync(context, FeatureJson.Default.RecordMaterializationRequest).ConfigureAwait(false);
        var wire = r.State ?? throw KeelException.MissingParameter("state");
        if (wire.View is { } named && named != view)
        {
            throw KeelException.InvalidParameter($"Field 'state.view' ('{named}') must be the view of the path ('{view}').");
        }

        wire.View = view;
        var fence = r.Fence is null
            ? null
            : new LeaseFence(
                r.Fence.Name ?? throw KeelException.MissingParameter("fence.name"), r.Fence.Holder ?? throw KeelException.MissingParameter("fence.holder"),
                r.Fence.Epoch ?? throw KeelException.MissingParameter("fence.epoch"));
        var state = await Service(context).RecordMaterializationAsync(
            FeatureWireMapping.FromWire(wire), r.ExpectedRevision ?? throw KeelException.MissingParameter("expected_revision"), fence, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new MaterializationResponse { State = FeatureWireMapping.ToWire(state) }, FeatureJson.Default.MaterializationResponse).ConfigureAwait(false);
    }

    private static FeatureDefinitions Definitions(FeatureDefinitionsWire? wire)
    {
        if (wire is null)
        {
            throw KeelException.MissingParameter("definitions");
        }

        var errors = new List<string>();
        var definitions = FeatureWireMapping.FromWire(wire, errors);
        FeatureDefinitionsValidator.Validate(definitions, errors);
        FeatureDefinitionsValidator.ThrowIfAny(errors);
        return definitions;
    }
}
