using System.Diagnostics;
using System.Globalization;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Application.Features;

/// <summary>
/// Reads a view's source: for each entity, its latest row with <c>start &lt; event_ts &lt;= end</c>
/// (ties by the latest created time), in chunks so memory stays flat. Bound to the offline engine's
/// scanner (Keel.Data/Features) by the composition.
/// </summary>
public interface IFeatureRowSource
{
    /// <summary>The latest row per entity of <paramref name="view"/> in the window, values normalized to the view's feature order.</summary>
    /// <param name="defs">The definitions (the view's source and entities).</param>
    /// <param name="view">The view.</param>
    /// <param name="start">Exclusive start of the window; null: from the beginning.</param>
    /// <param name="end">Inclusive end of the window.</param>
    /// <param name="chunkSize">Rows per chunk.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    IAsyncEnumerable<IReadOnlyList<OnlineRow>> LatestRowsAsync(FeatureDefinitions defs, FeatureView view, DateTimeOffset? start, DateTimeOffset end, int chunkSize, CancellationToken cancellationToken);
}

/// <summary>What a materialization run is asked to do.</summary>
/// <param name="Views">The views to materialize; null or empty: every view with <c>online: true</c>.</param>
/// <param name="Start">Full mode: the window's exclusive start (null: from the beginning). Ignored when <paramref name="Incremental"/>.</param>
/// <param name="End">The window's inclusive end; null: now.</param>
/// <param name="Incremental">Start from each view's stored watermark minus <paramref name="Overlap"/> (Feast's materialize-incremental).</param>
/// <param name="Overlap">How far before the watermark an incremental run starts again, for rows that arrive late; null: <see cref="Materializer.DefaultOverlap"/>.</param>
/// <param name="ChunkSize">Rows per chunk read and written.</param>
public sealed record MaterializeRequest(
    IReadOnlyList<string>? Views = null,
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null,
    bool Incremental = false,
    TimeSpan? Overlap = null,
    int ChunkSize = Materializer.DefaultChunkSize);

/// <summary>How far a run has got, reported after each chunk.</summary>
/// <param name="View">The view being written.</param>
/// <param name="Rows">Rows written to it so far.</param>
/// <param name="Elapsed">Time spent on it so far.</param>
public sealed record MaterializeProgress(string View, long Rows, TimeSpan Elapsed)
{
    /// <summary>Rows written per second so far.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>What a run did to one view.</summary>
/// <param name="View">The view.</param>
/// <param name="Version">Its version (the online table).</param>
/// <param name="Start">The window's exclusive start; null from the beginning.</param>
/// <param name="End">The window's inclusive end.</param>
/// <param name="Rows">Rows written (the store kept only the newer ones).</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="State">The stored state after the run; null when skipped.</param>
/// <param name="Skipped">Why nothing was done, or null.</param>
public sealed record ViewMaterialization(string View, int Version, DateTimeOffset? Start, DateTimeOffset End, long Rows, TimeSpan Elapsed, MaterializationState? State, string? Skipped = null)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Materialization: copies each online view's latest rows per entity from its source into the
/// online store, for the window (start, end]. Incremental runs start at the stored watermark minus
/// a late-data overlap (default one hour): rows whose event time is at most that far behind the
/// last run's end, but which arrived after it, are still picked up; later stragglers need a full
/// run over their window. A new view version starts from the beginning in its own table (the old
/// version's table is dropped once the new one is written). Re-running a window writes the same
/// rows, which the store's newer-wins rule turns into no change, so runs are idempotent and may
/// overlap. The watermark is recorded with the registry's optimistic revision, and, when a lease
/// store is given (the worker, the scheduler), under a per-view lease whose fence the record checks.
/// </summary>
public sealed class Materializer
{
    /// <summary>The default late-data overlap of incremental runs.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromHours(1);

    /// <summary>The default rows per chunk.</summary>
    public const int DefaultChunkSize = 100_000;

    private readonly IFeatureRegistry _registry;
    private readonly IOnlineFeatureStore _store;
    private readonly IFeatureRowSource _source;
    private readonly TimeProvider _time;
    private readonly ILeaseStore? _leases;
    private readonly string _holder;

    /// <param name="registry">Definitions and watermarks.</param>
    /// <param name="store">The online store written.</param>
    /// <param name="source">Reads the views' sources.</param>
    /// <param name="timeProvider">The clock (the default end).</param>
    /// <param name="leases">Leases to run each view under (one runner per view at a time); null: no lease (a single CLI run).</param>
    /// <param name="holder">This runner's id, for the lease.</param>
    public Materializer(IFeatureRegistry registry, IOnlineFeatureStore store, IFeatureRowSource source, TimeProvider? timeProvider = null, ILeaseStore? leases = null, string? holder = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        _registry = registry;
        _store = store;
        _source = source;
        _time = timeProvider ?? TimeProvider.System;
        _leases = leases;
        _holder = holder ?? Environment.MachineName + ":" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The lease a view's materialization runs under.</summary>
    public static string LeaseName(string view) => "features-materialize:" + view;

    /// <summary>Materializes the views <paramref name="request"/> names, one after another.</summary>
    /// <param name="request">Which views and window.</param>
    /// <param name="progress">Told after each chunk.</param>
    /// <param name="cancellationToken">Cancels the run (what was written stays; the watermark is not moved).</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for an unknown view, a bad window or overlap; RESOURCE_CONFLICT when another run recorded first.</exception>
    public async Task<IReadOnlyList<ViewMaterialization>> RunAsync(MaterializeRequest request, IProgress<MaterializeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var overlap = request.Overlap ?? DefaultOverlap;
        if (overlap < TimeSpan.Zero)
        {
            throw KeelException.InvalidParameter("overlap must not be negative (e.g. 1h, 30m, 0).");
        }

        if (request.ChunkSize is < 1 or > 10_000_000)
        {
            throw KeelException.InvalidParameter("chunk_size must be between 1 and 10000000.");
        }

        var end = request.End ?? _time.GetUtcNow();
        if (!request.Incremental && request.Start is { } s && s >= end)
        {
            throw KeelException.InvalidParameter($"start ({s:O}) must be before end ({end:O}).");
        }

        var catalog = await _registry.GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        var defs = catalog.Definitions;
        List<FeatureView> views;
        if (request.Views is { Count: > 0 } names)
        {
            views = [];
            foreach (var name in names)
            {
                var view = defs.FindView(name) ?? throw KeelException.InvalidParameter(
                    defs.FindOnDemandView(name) is not null
                        ? $"'{name}' (views) is an on-demand view: it is computed on read, not materialized."
                        : $"Unknown feature view '{name}' (views).");
                if (!views.Contains(view))
                {
                    views.Add(view);
                }
            }
        }
        else
        {
            views = [.. defs.Views.Where(v => v.Online)];
        }

        var results = new List<ViewMaterialization>(views.Count);
        foreach (var view in views)
        {
            var version = catalog.Find(FeatureObjectKind.View, view.Name)?.Version ?? 1;
            results.Add(await RunViewAsync(defs, view, version, request, end, overlap, progress, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async Task WriteChunkAsync(string table, IReadOnlyList<OnlineRow> chunk, string view, long written, Stopwatch clock, IProgress<MaterializeProgress>? progress, CancellationToken cancellationToken)
    {
        await _store.WriteAsync(table, chunk, cancellationToken).ConfigureAwait(false);
        progress?.Report(new MaterializeProgress(view, written, clock.Elapsed));
    }

    private async Task<ViewMaterialization> RunViewAsync(
        FeatureDefinitions defs, FeatureView view, int version, MaterializeRequest request, DateTimeOffset end, TimeSpan overlap, IProgress<MaterializeProgress>? progress, CancellationToken cancellationToken)
    {
        LeaseFence? fence = null;
        if (_leases is not null)
        {
            fence = await _leases.TryAcquireAsync(LeaseName(view.Name), _holder, TimeSpan.FromMinutes(30), cancellationToken).ConfigureAwait(false);
            if (fence is null)
            {
                return new ViewMaterialization(view.Name, version, request.Start, end, 0, TimeSpan.Zero, null, "another materialization of this view is running");
            }
        }

        try
        {
            var state = await _registry.GetMaterializationAsync(view.Name, cancellationToken).ConfigureAwait(false);
            var sameVersion = state is not null && state.ViewVersion == version;
            DateTimeOffset? start;
            if (request.Incremental)
            {
                start = sameVersion ? DateTimeOffset.FromUnixTimeMilliseconds(state!.Watermark) - overlap : null;
            }
            else
            {
                start = request.Start;
            }

            if (start is { } from && from >= end)
            {
                return new ViewMaterialization(view.Name, version, start, end, 0, TimeSpan.Zero, state, "nothing to do: the window is empty");
            }

            var table = EntityKeys.Table(view.Name, version);
            var clock = Stopwatch.StartNew();
            long rows = 0;
            // The next chunk is read while the last one is written (one write in flight): the scan
            // and the store work at once, and memory holds at most two chunks.
            var writing = Task.CompletedTask;
            await foreach (var chunk in _source.LatestRowsAsync(defs, view, start, end, request.ChunkSize, cancellationToken).ConfigureAwait(false))
            {
                if (chunk.Count == 0)
                {
                    continue;
                }

                await writing.ConfigureAwait(false);
                rows += chunk.Count;
                var written = rows;
                writing = WriteChunkAsync(table, chunk, view.Name, written, clock, progress, cancellationToken);
            }

            await writing.ConfigureAwait(false);

            var endMs = end.ToUnixTimeMilliseconds();
            var watermark = sameVersion ? Math.Max(state!.Watermark, endMs) : endMs;
            var recorded = await _registry.RecordMaterializationAsync(
                new MaterializationState(view.Name, version, watermark, rows, _time.GetUtcNow().ToUnixTimeMilliseconds(), (state?.Revision ?? 0) + 1),
                state?.Revision ?? 0,
                fence,
                cancellationToken).ConfigureAwait(false);
            if (state is not null && !sameVersion && state.ViewVersion != version)
            {
                // The catalog serves the new version now; the old version's rows are dead weight.
                await _store.DropAsync(EntityKeys.Table(view.Name, state.ViewVersion), cancellationToken).ConfigureAwait(false);
            }

            return new ViewMaterialization(view.Name, version, start, end, rows, clock.Elapsed, recorded);
        }
        finally
        {
            if (fence is not null)
            {
                await _leases!.ReleaseAsync(fence, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
