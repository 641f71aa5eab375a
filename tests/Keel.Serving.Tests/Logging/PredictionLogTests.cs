using System.Text.Json.Nodes;
using Keel.ML;
using Keel.ML.Data;
using Keel.Serving.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Keel.Serving.Tests.Logging;

public sealed class PredictionLogTests
{
    private static PredictionRecord Record(string id) => new(
        1_700_000_000_000, id, "ep", "m/1", "live", 12,
        new ColumnBatch(BatchColumn.Of("a", new[] { 1.5 })),
        new PredictionResult(1, [new PredictionOutput(BatchColumn.Of("prediction", new[] { 3.0 }), PredictionRole.Prediction)]),
        null);

    [Fact]
    public void A_full_queue_drops_and_counts_without_blocking()
    {
        var log = new PredictionLog(new ServingOptions { PredictionLogQueueCapacity = 4 }, new ServingMetrics());
        for (var i = 0; i < 10; i++)
        {
            log.TryAppend(Record($"r{i}"));
        }

        Assert.Equal(4, log.Depth);
        Assert.Equal(6, log.Dropped);
    }

    [Fact]
    public void Sampling_rate_zero_logs_nothing_and_one_logs_everything()
    {
        var metrics = new ServingMetrics();
        Assert.False(new PredictionLog(new ServingOptions { PredictionLogSampleRate = 0 }, metrics).ShouldSample());
        Assert.True(new PredictionLog(new ServingOptions { PredictionLogSampleRate = 1 }, metrics).ShouldSample());
    }

    [Fact]
    public async Task Writer_appends_json_lines_per_endpoint_and_drains_at_shutdown()
    {
        var dir = Directory.CreateTempSubdirectory("keel-plog").FullName;
        try
        {
            var options = new ServingOptions { PredictionLogBatchSize = 3 };
            var metrics = new ServingMetrics();
            var log = new PredictionLog(options, metrics);
            for (var i = 0; i < 7; i++)
            {
                log.TryAppend(Record($"req-{i}"));
            }

            using var sink = new JsonLinesPredictionLog(dir, NullLogger.Instance);
            var writer = new PredictionLogWriter(log, sink, PredictionLogDestination.Files(dir).Flush(options), options, metrics, TimeProvider.System, NullLogger<PredictionLogWriter>.Instance);
            await writer.StartAsync(CancellationToken.None);
            var file = Path.Combine(dir, "ep", "2023-11-14.jsonl");
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (log.Depth > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Yield();
            }

            await writer.StopAsync(CancellationToken.None);
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(7, lines.Length);
            var first = JsonNode.Parse(lines[0])!;
            Assert.Equal("req-0", (string?)first["request_id"]);
            Assert.Equal("m/1", (string?)first["version"]);
            Assert.Equal(1.5, (double)first["inputs"]!["a"]![0]!);
            Assert.Equal(3.0, (double)first["outputs"]!["prediction"]![0]!);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
