using System.Globalization;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Lineage;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;

namespace Keel.Application;

/// <summary>
/// Answers "what was this made from, and what was made from it?" across datasets, runs, model
/// versions and endpoints, from links the stores already keep: a run's MLflow dataset inputs (a
/// <c>datasets:/</c> source, or the version's digest), a model version's source run, an endpoint's
/// routes. Nothing extra is recorded, so the answer cannot disagree with the stores.
/// </summary>
public sealed class LineageService
{
    private const int MaxRuns = 1000;
    private readonly TrackingService _tracking;
    private readonly RegistryService _registry;
    private readonly IModelRegistryStore _registryStore;
    private readonly IServingStore? _serving;
    private readonly DatasetService _datasets;

    /// <param name="trackingStore">Runs and their inputs.</param>
    /// <param name="registryStore">Model versions.</param>
    /// <param name="serving">Endpoints, or null where there are none to see.</param>
    /// <param name="datasets">Dataset versions.</param>
    public LineageService(ITrackingStore trackingStore, IModelRegistryStore registryStore, IServingStore? serving, DatasetService datasets)
    {
        ArgumentNullException.ThrowIfNull(trackingStore);
        _registryStore = registryStore ?? throw new ArgumentNullException(nameof(registryStore));
        _tracking = new TrackingService(trackingStore);
        _registry = new RegistryService(registryStore, trackingStore);
        _serving = serving;
        _datasets = datasets ?? throw new ArgumentNullException(nameof(datasets));
    }

    /// <summary>Reads both, upstream or downstream (null or empty: both).</summary>
    public static LineageDirection ParseDirection(string? text) => text switch
    {
        null or "" or "both" => LineageDirection.Both,
        "upstream" => LineageDirection.Upstream,
        "downstream" => LineageDirection.Downstream,
        _ => throw KeelException.InvalidParameter($"Invalid direction '{text}': expected both, upstream or downstream."),
    };

    /// <summary>Follows lineage from <paramref name="uri"/>: <c>datasets:/NAME/VERSION</c> (or @alias, @latest), <c>runs:/RUN_ID</c>, <c>models:/NAME/VERSION</c> (or @alias), <c>endpoints:/NAME</c>.</summary>
    public async Task<LineageGraph> TraceAsync(string? uri, LineageDirection direction, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw KeelException.MissingParameter("uri");
        }

        var walk = new Walk();
        string root;
        if (DatasetUri.IsDatasetUri(uri))
        {
            var version = await _datasets.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
            root = walk.Add(DatasetNode(version));
            if (direction != LineageDirection.Upstream)
            {
                await DatasetDownstreamAsync(walk, version, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (uri.StartsWith("runs:/", StringComparison.Ordinal))
        {
            var run = await _tracking.GetRunAsync(uri["runs:/".Length..].Trim('/').Split('/')[0], cancellationToken).ConfigureAwait(false);
            root = walk.Add(RunNode(run));
            await RunAsync(walk, run, direction, cancellationToken).ConfigureAwait(false);
        }
        else if (ModelUri.IsModelUri(uri))
        {
            var version = await ModelUriResolver.FindVersionAsync(_registryStore, ModelUri.Parse(uri), cancellationToken).ConfigureAwait(false);
            root = walk.Add(ModelNode(version));
            await ModelAsync(walk, version, direction, cancellationToken).ConfigureAwait(false);
        }
        else if (uri.StartsWith("endpoints:/", StringComparison.Ordinal))
        {
            var name = uri["endpoints:/".Length..].Trim('/');
            var endpoint = (_serving is null ? null : await _serving.FindEndpointAsync(name, cancellationToken).ConfigureAwait(false))
                ?? throw KeelException.NotFound($"Endpoint '{name}' does not exist.");
            root = walk.Add(EndpointNode(endpoint));
            if (direction != LineageDirection.Downstream)
            {
                await EndpointUpstreamAsync(walk, endpoint, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            throw KeelException.InvalidParameter(
                $"Invalid uri '{uri}': expected datasets:/NAME/VERSION (or @ALIAS, @latest), runs:/RUN_ID, models:/NAME/VERSION (or @ALIAS) or endpoints:/NAME.");
        }

        return new LineageGraph(root, walk.Nodes, walk.Edges);
    }

    private static LineageNode DatasetNode(DatasetVersion v) => new(
        v.Uri, "dataset", string.Create(CultureInfo.InvariantCulture, $"{v.Name} v{v.Version}"),
        Attributes(("digest", v.ManifestDigest), ("format", v.Format), ("rows", v.RowCount?.ToString(CultureInfo.InvariantCulture)), ("aliases", v.Aliases.Count == 0 ? null : string.Join(",", v.Aliases))));

    private static LineageNode RunNode(Run run) => new(
        "runs:/" + run.Info.RunId, "run", run.Info.RunName ?? run.Info.RunId,
        Attributes(("run_id", run.Info.RunId), ("experiment_id", run.Info.ExperimentId), ("status", run.Info.Status.ToString().ToUpperInvariant())));

    private static LineageNode ModelNode(ModelVersion v) => new(
        string.Create(CultureInfo.InvariantCulture, $"models:/{v.Name}/{v.Version}"), "model", string.Create(CultureInfo.InvariantCulture, $"{v.Name} v{v.Version}"),
        Attributes(("stage", v.CurrentStage.ToString()), ("aliases", v.Aliases.Count == 0 ? null : string.Join(",", v.Aliases)), ("run_id", v.RunId)));

    private static LineageNode EndpointNode(Endpoint e) => new(
        "endpoints:/" + e.Name, "endpoint", e.Name, Attributes(("environment", e.Environment), ("mode", e.Mode.ToString().ToLowerInvariant())));

    private static Dictionary<string, string> Attributes(params (string Key, string? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    private async Task DatasetDownstreamAsync(Walk walk, DatasetVersion version, CancellationToken cancellationToken)
    {
        foreach (var run in await RunsReadingAsync(version, cancellationToken).ConfigureAwait(false))
        {
            var id = walk.Add(RunNode(run));
            walk.Link(version.Uri, id, "input");
            await RunDownstreamAsync(walk, run, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(Walk walk, Run run, LineageDirection direction, CancellationToken cancellationToken)
    {
        if (direction != LineageDirection.Downstream)
        {
            await RunUpstreamAsync(walk, run, cancellationToken).ConfigureAwait(false);
        }

        if (direction != LineageDirection.Upstream)
        {
            await RunDownstreamAsync(walk, run, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunUpstreamAsync(Walk walk, Run run, CancellationToken cancellationToken)
    {
        var runId = "runs:/" + run.Info.RunId;
        foreach (var input in run.Inputs)
        {
            var d = input.Dataset;
            LineageNode node;
            if (DatasetUri.IsDatasetUri(d.Source))
            {
                try
                {
                    node = DatasetNode(await _datasets.ResolveAsync(d.Source, cancellationToken).ConfigureAwait(false));
                }
                catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
                {
                    // The version was deleted since: keep the link, say so.
                    node = new LineageNode(d.Source, "dataset", d.Name, Attributes(("digest", d.Digest), ("deleted", "true")));
                }
            }
            else
            {
                node = new LineageNode(d.Source, "dataset", d.Name, Attributes(("digest", d.Digest), ("source_type", d.SourceType)));
            }

            walk.Link(walk.Add(node), runId, "input");
        }
    }

    private async Task RunDownstreamAsync(Walk walk, Run run, CancellationToken cancellationToken)
    {
        var runId = "runs:/" + run.Info.RunId;
        var versions = await _registry.SearchModelVersionsAsync($"run_id = '{run.Info.RunId}'", null, 1000, null, cancellationToken).ConfigureAwait(false);
        foreach (var version in versions.Items)
        {
            var id = walk.Add(ModelNode(version));
            walk.Link(runId, id, "produced");
            await ModelDownstreamAsync(walk, version, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ModelAsync(Walk walk, ModelVersion version, LineageDirection direction, CancellationToken cancellationToken)
    {
        if (direction != LineageDirection.Downstream && version.RunId is { Length: > 0 } runId)
        {
            var run = await TryGetRunAsync(runId, cancellationToken).ConfigureAwait(false);
            if (run is not null)
            {
                walk.Link(walk.Add(RunNode(run)), ModelNode(version).Id, "produced");
                await RunUpstreamAsync(walk, run, cancellationToken).ConfigureAwait(false);
            }
        }

        if (direction != LineageDirection.Upstream)
        {
            await ModelDownstreamAsync(walk, version, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ModelDownstreamAsync(Walk walk, ModelVersion version, CancellationToken cancellationToken)
    {
        if (_serving is null)
        {
            return;
        }

        var modelId = ModelNode(version).Id;
        foreach (var endpoint in await _serving.ListEndpointsAsync(null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var route in endpoint.Routes)
            {
                var served = await TryResolveAsync(route.ModelUri, cancellationToken).ConfigureAwait(false);
                if (served is not null && served.Name == version.Name && served.Version == version.Version)
                {
                    walk.Link(modelId, walk.Add(EndpointNode(endpoint)), string.Create(CultureInfo.InvariantCulture, $"serves {route.Weight}%"));
                }
            }
        }
    }

    private async Task EndpointUpstreamAsync(Walk walk, Endpoint endpoint, CancellationToken cancellationToken)
    {
        foreach (var route in endpoint.Routes)
        {
            var version = await TryResolveAsync(route.ModelUri, cancellationToken).ConfigureAwait(false);
            if (version is null)
            {
                continue;
            }

            var modelId = walk.Add(ModelNode(version));
            walk.Link(modelId, "endpoints:/" + endpoint.Name, string.Create(CultureInfo.InvariantCulture, $"serves {route.Weight}%"));
            await ModelAsync(walk, version, LineageDirection.Upstream, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ModelVersion?> TryResolveAsync(string modelUri, CancellationToken cancellationToken)
    {
        try
        {
            return ModelUri.IsModelUri(modelUri) ? await ModelUriResolver.FindVersionAsync(_registryStore, ModelUri.Parse(modelUri), cancellationToken).ConfigureAwait(false) : null;
        }
        catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.InvalidParameterValue)
        {
            return null;
        }
    }

    private async Task<Run?> TryGetRunAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            return await _tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }

    // Runs in any active experiment whose dataset inputs name this version: by source URI, or by the
    // digest training records (the run search narrows by digest; the inputs confirm the name).
    private async Task<List<Run>> RunsReadingAsync(DatasetVersion version, CancellationToken cancellationToken)
    {
        var experiments = new List<string>();
        string? token = null;
        do
        {
            var page = await _tracking.SearchExperimentsAsync(null, null, ViewType.ActiveOnly, 1000, token, cancellationToken).ConfigureAwait(false);
            experiments.AddRange(page.Items.Select(e => e.ExperimentId));
            token = page.NextPageToken;
        }
        while (token is not null);

        var runs = new List<Run>();
        if (experiments.Count == 0)
        {
            return runs;
        }

        var digest = version.InputDigest;
        token = null;
        do
        {
            var page = await _tracking.SearchRunsAsync(experiments, $"datasets.digest = '{digest}'", ViewType.ActiveOnly, MaxRuns, ["attributes.start_time ASC"], token, cancellationToken).ConfigureAwait(false);
            runs.AddRange(page.Items.Where(r => r.Inputs.Any(i => i.Dataset.Source == version.Uri || (i.Dataset.Name == version.Name && i.Dataset.Digest == digest))));
            token = page.NextPageToken;
        }
        while (token is not null);
        return runs;
    }

    private sealed class Walk
    {
        private readonly Dictionary<string, LineageNode> _nodes = new(StringComparer.Ordinal);
        private readonly HashSet<LineageEdge> _edges = [];

        public List<LineageNode> Nodes { get; } = [];

        public List<LineageEdge> Edges { get; } = [];

        public string Add(LineageNode node)
        {
            if (_nodes.TryAdd(node.Id, node))
            {
                Nodes.Add(node);
            }

            return node.Id;
        }

        public void Link(string from, string to, string relation)
        {
            var edge = new LineageEdge(from, to, relation);
            if (_edges.Add(edge))
            {
                Edges.Add(edge);
            }
        }
    }
}
