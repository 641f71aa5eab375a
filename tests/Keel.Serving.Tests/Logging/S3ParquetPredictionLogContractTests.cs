using Keel.Artifacts.S3;
using Keel.Core.Predictions;
using Keel.Serving.Logging;
using Keel.Storage.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keel.Serving.Tests.Logging;

/// <summary>
/// Parquet objects on S3 enrol in the prediction log contract against a real S3 server
/// (<c>KEEL_TEST_S3</c>, as <c>.ci/services/s3.sh</c> sets it), each test under its own prefix.
/// </summary>
[RequiresEnvironment(Variable, "start an S3 server with `source .ci/services/s3.sh` (CI always does) to run the S3 tests")]
public sealed class S3ParquetPredictionLogContractTests : PredictionLogContract, IDisposable
{
    private const string Variable = "KEEL_TEST_S3";

    private readonly List<S3ArtifactStore> _stores = [];
    private string? _location;

    protected override Task CreateLocationAsync()
    {
        _location = $"{Environment.GetEnvironmentVariable(Variable)!.TrimEnd('/')}/plog-contract-{Guid.NewGuid():N}";
        return Task.CompletedTask;
    }

    protected override IPredictionLogSink OpenSink(string replica) =>
        new ParquetPredictionLog(Store(), PredictionLogDestination.Directory, replica, NullLogger.Instance);

    protected override IPredictionLogReader OpenReader() => (IPredictionLogReader)OpenSink("reader");

    protected override async Task DeleteLocationAsync()
    {
        var store = Store();
        foreach (var entry in await store.ListAsync(null))
        {
            await store.DeleteAsync(entry.Path);
        }

        Dispose();
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _stores.Clear();
    }

    private S3ArtifactStore Store()
    {
        var store = S3ArtifactStore.Open(_location ?? throw new InvalidOperationException("not initialised"), "KEEL_TEST_S3");
        _stores.Add(store);
        return store;
    }
}
