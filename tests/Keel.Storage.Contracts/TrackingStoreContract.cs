using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="ITrackingStore"/> backend signs up to. A backend's test class
/// only says how to create a fresh, empty store. Input here is always valid: validation lives above
/// the port. Split by area into partial files.
/// </summary>
public abstract partial class TrackingStoreContract : IDisposable
{
    private readonly List<ITrackingStore> _stores = [];
    private ITrackingStore? _store;

    /// <summary>Returns a fresh, empty store on every call.</summary>
    protected abstract ITrackingStore CreateStore();

    /// <summary>The store of the current test, created on first use.</summary>
    protected ITrackingStore Store => _store ??= Track(CreateStore());

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        foreach (var store in _stores)
        {
            (store as IDisposable)?.Dispose();
        }

        _stores.Clear();
    }

    protected ITrackingStore Track(ITrackingStore store)
    {
        _stores.Add(store);
        return store;
    }

    protected static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    protected async Task<Run> NewRunAsync(string experimentId = "0", string runName = "", long? startTime = null, IReadOnlyList<Tag>? tags = null) =>
        await Store.CreateRunAsync(new NewRun(experimentId, "alice", runName, startTime ?? Now(), tags ?? []));

    protected Task LogMetricsAsync(string runId, params Metric[] metrics) => Store.LogBatchAsync(runId, metrics, [], []);

    protected Task LogParamsAsync(string runId, params Param[] @params) => Store.LogBatchAsync(runId, [], @params, []);

    protected Task LogTagsAsync(string runId, params Tag[] tags) => Store.LogBatchAsync(runId, [], [], tags);

    protected async Task<IReadOnlyList<string>> SearchRunIdsAsync(string experimentId, IReadOnlyList<Comparison> filter, IReadOnlyList<OrderBy>? orderBy = null, ViewType view = ViewType.ActiveOnly)
    {
        var page = await Store.SearchRunsAsync(new RunQuery([experimentId], filter, view, orderBy ?? [], 0, 1000));
        return page.Items.Select(r => r.Info.RunId).ToList();
    }

    protected static Comparison Where(SearchEntity entity, string key, Comparator op, object? value) => new(entity, key, op, value);

    protected static async Task<KeelException> AssertFailsAsync(ErrorCode code, Func<Task> action)
    {
        var exception = await Assert.ThrowsAsync<KeelException>(action);
        Assert.Equal(code, exception.Code);
        return exception;
    }
}
