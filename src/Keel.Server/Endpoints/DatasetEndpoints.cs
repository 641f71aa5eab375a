using Keel.Application;
using Keel.Core.Data;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's dataset API (/api/2.0/keel/datasets): versioned datasets, their versions, aliases and
/// audit events. Contents travel through the artifact API (content-addressed objects under
/// <c>datasets/</c>); a version is recorded here after its manifest is stored.
/// </summary>
internal static class DatasetEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/datasets", "/ajax-api/2.0/keel/datasets" })
        {
            var group = app.MapGroup(prefix).WithTags("Datasets")
                .PathParameter("name", "The dataset name.")
                .PathParameter("version", "The version number.")
                .PathParameter("alias", "The alias.");
            group.MapGet(string.Empty, (Delegate)ListAsync)
                .Describe<DatasetsResponse>("List datasets", "Datasets by name with their latest version and aliases, a page at a time.", 400)
                .Query("max_results", "Page size, 1-1000 (default 100).", JsonSchemaType.Integer)
                .Query("page_token", "next_page_token of the previous page.");
            group.MapGet("/resolve", (Delegate)ResolveAsync)
                .Describe<DatasetVersionResponse>("Resolve a dataset URI", "The version datasets:/NAME/VERSION, datasets:/NAME@ALIAS or datasets:/NAME@latest names now, with its profile.", 400, 404)
                .Query("uri", "The dataset URI.", required: true);
            group.MapGet("/by-digest/{digest}", ByDigestAsync)
                .Describe<DatasetVersionsResponse>("Find versions by content", "Every version, of any dataset, whose manifest has this BLAKE3 digest (64 hex).", 400);
            group.MapGet("/events", (Delegate)EventsAsync)
                .Describe<DatasetEventsResponse>("Read the audit events", "Dataset changes, newest first, of one dataset or all.", 400)
                .Query("dataset", "Only this dataset's events.")
                .Query("max_results", "The most events, 1-1000 (default 100).", JsonSchemaType.Integer);
            group.MapGet("/{name}", GetAsync)
                .Describe<DatasetResponse>("Read a dataset", "The dataset with its latest version number, aliases and gating suite.", 400, 404);
            group.MapPatch("/{name}", UpdateAsync).Body<UpdateDatasetRequest>()
                .Describe<DatasetResponse>("Change a dataset", "Sets the description and/or the Great Expectations suite that gates new versions; an absent field is kept, \"\" clears it. A suite is parsed and refused (400) when it names an unknown expectation or wrong arguments.", 400, 404);
            group.MapDelete("/{name}", DeleteAsync)
                .Describe<DatasetResponse>("Delete a dataset", "Deletes its versions and aliases; content objects stay in the artifact store.", 400, 404);
            group.MapPost("/{name}/versions", AddVersionAsync).Body<AddDatasetVersionRequest>()
                .Describe<AddDatasetVersionResponse>("Record a version", "Records a new version when the manifest differs from the latest version's (created=true), else answers the latest (created=false). The manifest must already be in the artifact store. Safe to retry.", 400);
            group.MapGet("/{name}/versions", ListVersionsAsync)
                .Describe<DatasetVersionsResponse>("List versions", "Versions newest first, without profiles, a page at a time.", 400, 404)
                .Query("max_results", "Page size, 1-1000 (default 100).", JsonSchemaType.Integer)
                .Query("page_token", "next_page_token of the previous page.");
            group.MapGet("/{name}/versions/{version}", GetVersionAsync)
                .Describe<DatasetVersionResponse>("Read a version", "One version with its profile and the validation result of the suite that gated it.", 400, 404);
            group.MapGet("/{name}/aliases/{alias}", GetAliasAsync)
                .Describe<DatasetVersionResponse>("Read the version an alias names", "The version the alias points at (latest: the newest).", 400, 404);
            group.MapPut("/{name}/aliases/{alias}", SetAliasAsync).Body<SetDatasetAliasRequest>()
                .Describe<DatasetResponse>("Point an alias at a version", "Creates or moves the alias.", 400, 404);
            group.MapDelete("/{name}/aliases/{alias}", DeleteAliasAsync)
                .Describe<DatasetResponse>("Delete an alias", "Removes the alias.", 400, 404);
        }
    }

    private static DatasetService Service(HttpContext context) => context.RequestServices.GetRequiredService<DatasetService>();

    private static async Task ListAsync(HttpContext context)
    {
        var page = await Service(context).ListAsync(QueryArgs.Int(context, "max_results"), QueryArgs.String(context, "page_token"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new DatasetsResponse { Datasets = [.. page.Items], NextPageToken = page.NextPageToken }, DatasetJson.Default.DatasetsResponse).ConfigureAwait(false);
    }

    private static async Task ResolveAsync(HttpContext context)
    {
        var version = await Service(context).ResolveAsync(QueryArgs.String(context, "uri"), context.RequestAborted).ConfigureAwait(false);
        await WriteVersionAsync(context, version).ConfigureAwait(false);
    }

    private static async Task ByDigestAsync(HttpContext context, string digest)
    {
        var versions = await Service(context).FindByDigestAsync(digest, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new DatasetVersionsResponse { Versions = [.. versions] }, DatasetJson.Default.DatasetVersionsResponse).ConfigureAwait(false);
    }

    private static async Task EventsAsync(HttpContext context)
    {
        var events = await Service(context).EventsAsync(QueryArgs.String(context, "dataset"), QueryArgs.Int(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new DatasetEventsResponse { Events = [.. events] }, DatasetJson.Default.DatasetEventsResponse).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, string name)
    {
        var dataset = await Service(context).GetAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WriteDatasetAsync(context, dataset).ConfigureAwait(false);
    }

    private static async Task UpdateAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, DatasetJson.Default.UpdateDatasetRequest).ConfigureAwait(false);
        var dataset = await Service(context).UpdateAsync(name, r.Description, r.Suite, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WriteDatasetAsync(context, dataset).ConfigureAwait(false);
    }

    private static async Task DeleteAsync(HttpContext context, string name)
    {
        await Service(context).DeleteAsync(name, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WriteDatasetAsync(context, null).ConfigureAwait(false);
    }

    private static async Task AddVersionAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, DatasetJson.Default.AddDatasetVersionRequest).ConfigureAwait(false);
        var added = await Service(context).AddVersionAsync(name, r, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new AddDatasetVersionResponse { Version = added.Version, Created = added.Created }, DatasetJson.Default.AddDatasetVersionResponse).ConfigureAwait(false);
    }

    private static async Task ListVersionsAsync(HttpContext context, string name)
    {
        var page = await Service(context).ListVersionsAsync(name, QueryArgs.Int(context, "max_results"), QueryArgs.String(context, "page_token"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new DatasetVersionsResponse { Versions = [.. page.Items], NextPageToken = page.NextPageToken }, DatasetJson.Default.DatasetVersionsResponse).ConfigureAwait(false);
    }

    private static async Task GetVersionAsync(HttpContext context, string name, string version)
    {
        var found = await Service(context).GetVersionAsync(name, version, context.RequestAborted).ConfigureAwait(false);
        await WriteVersionAsync(context, found).ConfigureAwait(false);
    }

    private static async Task GetAliasAsync(HttpContext context, string name, string alias)
    {
        var found = await Service(context).GetVersionByAliasAsync(name, alias, context.RequestAborted).ConfigureAwait(false);
        await WriteVersionAsync(context, found).ConfigureAwait(false);
    }

    private static async Task SetAliasAsync(HttpContext context, string name, string alias)
    {
        var r = await WireIO.ReadAsync(context, DatasetJson.Default.SetDatasetAliasRequest).ConfigureAwait(false);
        await Service(context).SetAliasAsync(name, alias, r.Version, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WriteDatasetAsync(context, await Service(context).GetAsync(name, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static async Task DeleteAliasAsync(HttpContext context, string name, string alias)
    {
        await Service(context).DeleteAliasAsync(name, alias, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WriteDatasetAsync(context, await Service(context).GetAsync(name, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static Task WriteDatasetAsync(HttpContext context, VersionedDataset? dataset) =>
        WireIO.WriteAsync(context, new DatasetResponse { Dataset = dataset }, DatasetJson.Default.DatasetResponse);

    private static Task WriteVersionAsync(HttpContext context, DatasetVersion version) =>
        WireIO.WriteAsync(context, new DatasetVersionResponse { Version = version }, DatasetJson.Default.DatasetVersionResponse);
}
