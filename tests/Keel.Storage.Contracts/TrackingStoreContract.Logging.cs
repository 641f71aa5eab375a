using Keel.Core.Errors;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Storage.Contracts;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Metric_history_keeps_every_point_in_step_timestamp_value_order()
    {
        var run = (await NewRunAsync()).Info.RunId;

        await LogMetricsAsync(run, new Metric("loss", 3, 30, 2), new Metric("loss", 1, 10, 0), new Metric("loss", 2, 20, 1), new Metric("acc", 0.5, 10, 0));
        await LogMetricsAsync(run, new Metric("loss", 0.5, 10, 1));

        var history = await Store.GetMetricHistoryAsync(run, "loss");
        Assert.Equal(
            [new Metric("loss", 1, 10, 0), new Metric("loss", 0.5, 10, 1), new Metric("loss", 2, 20, 1), new Metric("loss", 3, 30, 2)],
            history);
        Assert.Empty(await Store.GetMetricHistoryAsync(run, "never-logged"));
    }

    [ContractFact]
    public async Task Latest_metric_is_greatest_step_then_timestamp_then_value()
    {
        var run = (await NewRunAsync()).Info.RunId;

        await LogMetricsAsync(run, new Metric("a", 5, 100, 3), new Metric("a", 9, 999, 2));
        await LogMetricsAsync(run, new Metric("b", 1, 50, 1), new Metric("b", 7, 40, 1));
        await LogMetricsAsync(run, new Metric("c", 1, 50, 1));
        await LogMetricsAsync(run, new Metric("c", 4, 50, 1));
        await LogMetricsAsync(run, new Metric("c", 2, 50, 1));

        var latest = (await Store.GetRunAsync(run)).Data.Metrics;
        Assert.Equal([new Metric("a", 5, 100, 3), new Metric("b", 1, 50, 1), new Metric("c", 4, 50, 1)], latest);
    }

    [ContractFact]
    public async Task Latest_metrics_keep_first_logging_order()
    {
        var run = (await NewRunAsync()).Info.RunId;

        await LogMetricsAsync(run, new Metric("zeta", 1, 1, 0), new Metric("alpha", 1, 1, 0), new Metric("zeta", 2, 2, 1));
        await LogMetricsAsync(run, new Metric("beta", 1, 1, 0), new Metric("alpha", 5, 5, 5));

        Assert.Equal(["zeta", "alpha", "beta"], (await Store.GetRunAsync(run)).Data.Metrics.Select(m => m.Key));
    }

    [ContractFact]
    public async Task NaN_and_infinities_round_trip()
    {
        var run = (await NewRunAsync()).Info.RunId;

        await LogMetricsAsync(run, new Metric("nan", double.NaN, 1, 0), new Metric("pinf", double.PositiveInfinity, 1, 0), new Metric("ninf", double.NegativeInfinity, 1, 0));

        var latest = (await Store.GetRunAsync(run)).Data.Metrics.ToDictionary(m => m.Key, m => m.Value);
        Assert.True(double.IsNaN(latest["nan"]));
        Assert.Equal(double.PositiveInfinity, latest["pinf"]);
        Assert.Equal(double.NegativeInfinity, latest["ninf"]);
        Assert.True(double.IsNaN(Assert.Single(await Store.GetMetricHistoryAsync(run, "nan")).Value));
        Assert.Equal(double.NegativeInfinity, Assert.Single(await Store.GetMetricHistoryAsync(run, "ninf")).Value);
    }

    [ContractFact]
    public async Task Identical_metric_point_is_stored_once()
    {
        var run = (await NewRunAsync()).Info.RunId;
        var point = new Metric("m", 1.5, 100, 7);

        await LogMetricsAsync(run, point, point);
        await LogMetricsAsync(run, point);
        await LogMetricsAsync(run, new Metric("nan", double.NaN, 1, 0));
        await LogMetricsAsync(run, new Metric("nan", double.NaN, 1, 0));

        Assert.Equal([point], await Store.GetMetricHistoryAsync(run, "m"));
        Assert.Single(await Store.GetMetricHistoryAsync(run, "nan"));
    }

    [ContractFact]
    public async Task Large_batch_with_repeated_points_keeps_each_distinct_point_once()
    {
        var run = (await NewRunAsync()).Info.RunId;
        var distinct = Enumerable.Range(0, 1000).Select(i => new Metric(i % 2 == 0 ? "even" : "odd", i, 5, i)).ToList();

        await Store.LogBatchAsync(run, [.. distinct, .. distinct.Take(123)], [], []);
        await Store.LogBatchAsync(run, distinct, [], []);

        Assert.Equal(distinct.Where(m => m.Key == "odd"), await Store.GetMetricHistoryAsync(run, "odd"));
        Assert.Equal(500, (await Store.GetMetricHistoryAsync(run, "even")).Count);
        Assert.Equal([new Metric("even", 998, 5, 998), new Metric("odd", 999, 5, 999)], (await Store.GetRunAsync(run)).Data.Metrics);
    }

    [ContractFact]
    public async Task Params_are_immutable_but_same_value_is_accepted()
    {
        var run = (await NewRunAsync()).Info.RunId;
        await LogParamsAsync(run, new Param("lr", "0.1"), new Param("empty", ""));

        await LogParamsAsync(run, new Param("lr", "0.1"));
        var error = await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => LogParamsAsync(run, new Param("lr", "0.2")));

        Assert.Contains("lr", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.2", error.Message, StringComparison.Ordinal);
        Assert.Equal([new Param("lr", "0.1"), new Param("empty", "")], (await Store.GetRunAsync(run)).Data.Params);
    }

    [ContractFact]
    public async Task Batch_with_a_conflicting_param_writes_nothing()
    {
        var run = (await NewRunAsync()).Info.RunId;
        await LogParamsAsync(run, new Param("fixed", "a"));

        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => Store.LogBatchAsync(
            run, [new Metric("m", 1, 1, 0)], [new Param("new", "x"), new Param("fixed", "b")], [new Tag("t", "v")]));

        var data = (await Store.GetRunAsync(run)).Data;
        Assert.Empty(data.Metrics);
        Assert.Equal([new Param("fixed", "a")], data.Params);
        Assert.DoesNotContain(data.Tags, t => t.Key == "t");
        Assert.Empty(await Store.GetMetricHistoryAsync(run, "m"));
    }

    [ContractFact]
    public async Task Tags_overwrite_keep_first_order_and_can_be_deleted()
    {
        var run = (await NewRunAsync(runName: "r")).Info.RunId;

        await LogTagsAsync(run, new Tag("a", "1"), new Tag("b", "2"));
        await LogTagsAsync(run, new Tag("a", "3"));
        await Store.DeleteTagAsync(run, "b");

        Assert.Equal([new Tag("mlflow.runName", "r"), new Tag("a", "3")], (await Store.GetRunAsync(run)).Data.Tags);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteTagAsync(run, "b"));
    }

    [ContractFact]
    public async Task Setting_run_name_tag_renames_the_run()
    {
        var run = (await NewRunAsync(runName: "first")).Info.RunId;

        await LogTagsAsync(run, new Tag("mlflow.runName", "second"));

        Assert.Equal("second", (await Store.GetRunAsync(run)).Info.RunName);
    }

    [ContractFact]
    public async Task Concurrent_batches_to_one_run_lose_no_point()
    {
        var run = (await NewRunAsync()).Info.RunId;
        const int Writers = 4;
        const int BatchesPerWriter = 10;
        const int PointsPerBatch = 100;

        var tasks = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var batch = 0; batch < BatchesPerWriter; batch++)
            {
                var points = Enumerable.Range(0, PointsPerBatch)
                    .Select(i => new Metric("m", writer, 1000 + batch, (batch * PointsPerBatch) + i))
                    .ToList();
                await Store.LogBatchAsync(run, points, [new Param($"p{writer}-{batch}", "v")], []);
            }
        }));
        await Task.WhenAll(tasks);

        Assert.Equal(Writers * BatchesPerWriter * PointsPerBatch, (await Store.GetMetricHistoryAsync(run, "m")).Count);
        Assert.Equal(Writers * BatchesPerWriter, (await Store.GetRunAsync(run)).Data.Params.Count);
    }
}
