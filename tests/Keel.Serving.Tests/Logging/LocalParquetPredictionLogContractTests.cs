using Keel.Artifacts;
using Keel.Core.Predictions;
using Keel.Serving.Logging;
using Keel.Storage.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keel.Serving.Tests.Logging;

/// <summary>Parquet objects on the local artifact store enrol in the prediction log contract, each test on a fresh directory.</summary>
public sealed class LocalParquetPredictionLogContractTests : PredictionLogContract
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keel-plog-parquet-" + Guid.NewGuid().ToString("N"));

    protected override IPredictionLogSink OpenSink(string replica) =>
        new ParquetPredictionLog(new LocalArtifactStore(_dir), PredictionLogDestination.Directory, replica, NullLogger.Instance);

    protected override IPredictionLogReader OpenReader() => (IPredictionLogReader)OpenSink("reader");

    protected override Task DeleteLocationAsync()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }

        return Task.CompletedTask;
    }
}
