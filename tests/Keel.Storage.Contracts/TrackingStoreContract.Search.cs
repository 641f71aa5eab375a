using Keel.Core.Search;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Storage.Contracts;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Search_runs_filters_by_each_entity()
    {
        var exp = await Store.CreateExperimentAsync("search", null, []);
        var a = (await NewRunAsync(exp, "run-a", 1000)).Info.RunId;
        var b = (await NewRunAsync(exp, "run-b", 2000)).Info.RunId;
        await Store.LogBatchAsync(a, [new Metric("acc", 0.9, 1, 0)], [new Param("lr", "0.1")], [new Tag("team", "Vision")]);
        await Store.LogBatchAsync(b, [new Metric("acc", 0.4, 1, 0)], [new Param("lr", "0.2")], [new Tag("team", "nlp")]);
        await Store.UpdateRunAsync(b, new RunUpdate(RunStatus.Finished, 3000, null));
        await Store.LogInputsAsync(a, [new DatasetInput(new Dataset("train", "d1", "local", "x", null, null), [new Tag("mlflow.data.context", "training")])]);

        Assert.Equal([a], await SearchRunIdsAsync(exp, [Where(SearchEntity.Metric, "acc", Comparator.Greater, 0.5)]));
        Assert.Equal([b], await SearchRunIdsAsync(exp, [Where(SearchEntity.Metric, "acc", Comparator.LessOrEqual, 0.4)]));
        Assert.Equal([b], await SearchRunIdsAsync(exp, [Where(SearchEntity.Param, "lr", Comparator.Equal, "0.2")]));
        Assert.Equal([a], await SearchRunIdsAsync(exp, [Where(SearchEntity.Tag, "team", Comparator.Equal, "Vision")]));
        Assert.Equal([b], await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "status", Comparator.Equal, "FINISHED")]));
        Assert.Equal([a], await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "run_name", Comparator.Equal, "run-a")]));
        Assert.Equal([b], await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "start_time", Comparator.Greater, 1500.0)]));
        Assert.Equal([b], await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "end_time", Comparator.GreaterOrEqual, 0.0)]));
        Assert.Equal([b, a], await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "user_id", Comparator.Equal, "alice")]));
        Assert.Equal([a], await SearchRunIdsAsync(exp, [Where(SearchEntity.Dataset, "name", Comparator.Equal, "train")]));
        Assert.Equal([a], await SearchRunIdsAsync(exp, [Where(SearchEntity.Dataset, "digest", Comparator.In, new List<string> { "d1", "zz" })]));
        Assert.Equal([a], await SearchRunIdsAsync(exp, [Where(SearchEntity.Dataset, "context", Comparator.Like, "train%")]));
        Assert.Equal([a], await SearchRunIdsAsync(exp,
            [Where(SearchEntity.Metric, "acc", Comparator.Greater, 0.5), Where(SearchEntity.Param, "lr", Comparator.Equal, "0.1")]));
        Assert.Empty(await SearchRunIdsAsync(exp,
            [Where(SearchEntity.Metric, "acc", Comparator.Greater, 0.5), Where(SearchEntity.Param, "lr", Comparator.Equal, "0.2")]));
    }

    [ContractFact]
    public async Task Search_runs_like_is_case_sensitive_and_ilike_is_not()
    {
        var exp = await Store.CreateExperimentAsync("like", null, []);
        var upper = (await NewRunAsync(exp, "Upper")).Info.RunId;
        var lower = (await NewRunAsync(exp, "upper_x")).Info.RunId;
        await LogTagsAsync(upper, new Tag("note", "Hello World"));
        await LogTagsAsync(lower, new Tag("note", "hello*world"));

        Assert.Equal([upper], await SearchRunIdsAsync(exp, [Where(SearchEntity.Tag, "note", Comparator.Like, "Hello%")]));
        Assert.Equal([lower], await SearchRunIdsAsync(exp, [Where(SearchEntity.Tag, "note", Comparator.Like, "hello*%")]));
        Assert.Equal([lower], await SearchRunIdsAsync(exp, [Where(SearchEntity.Tag, "note", Comparator.Like, "hello_world")]));
        Assert.Equal(2, (await SearchRunIdsAsync(exp, [Where(SearchEntity.Tag, "note", Comparator.ILike, "hello%")])).Count);
        Assert.Equal([upper], await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "run_name", Comparator.Like, "U%")]));
        Assert.Equal(2, (await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "run_name", Comparator.ILike, "u%")])).Count);
    }

    [ContractFact]
    public async Task Search_runs_missing_keys_never_match()
    {
        var exp = await Store.CreateExperimentAsync("missing", null, []);
        var with = (await NewRunAsync(exp)).Info.RunId;
        await NewRunAsync(exp);
        await Store.LogBatchAsync(with, [new Metric("m", 1, 1, 0)], [new Param("p", "x")], [new Tag("t", "x")]);

        Assert.Empty(await SearchRunIdsAsync(exp, [Where(SearchEntity.Metric, "m", Comparator.NotEqual, 1.0)]));
        Assert.Empty(await SearchRunIdsAsync(exp, [Where(SearchEntity.Param, "p", Comparator.NotEqual, "x")]));
        Assert.Empty(await SearchRunIdsAsync(exp, [Where(SearchEntity.Tag, "t", Comparator.NotEqual, "x")]));
        Assert.Equal([with], await SearchRunIdsAsync(exp, [Where(SearchEntity.Param, "p", Comparator.NotEqual, "y")]));
        Assert.Equal([with], await SearchRunIdsAsync(exp, [Where(SearchEntity.Metric, "m", Comparator.NotEqual, 2.0)]));
        Assert.Empty(await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "end_time", Comparator.Greater, 0.0)]));
    }

    [ContractFact]
    public async Task Search_runs_by_run_id_in_and_view_type()
    {
        var exp = await Store.CreateExperimentAsync("ids", null, []);
        var r1 = (await NewRunAsync(exp, startTime: 3)).Info.RunId;
        var r2 = (await NewRunAsync(exp, startTime: 2)).Info.RunId;
        var r3 = (await NewRunAsync(exp, startTime: 1)).Info.RunId;
        await Store.DeleteRunAsync(r3);

        Assert.Equal([r1, r2], await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "run_id", Comparator.In, new List<string> { r1, r2, r3 })]));
        Assert.Equal([r2], await SearchRunIdsAsync(exp, [Where(SearchEntity.Attribute, "run_id", Comparator.NotIn, new List<string> { r1 })]));
        Assert.Equal([r3], await SearchRunIdsAsync(exp, [], view: ViewType.DeletedOnly));
        Assert.Equal([r1, r2, r3], await SearchRunIdsAsync(exp, [], view: ViewType.All));
        Assert.Empty(await SearchRunIdsAsync("0", []));
    }

    [ContractFact]
    public async Task Search_runs_orders_metrics_with_nan_and_missing_placement()
    {
        var exp = await Store.CreateExperimentAsync("order", null, []);
        var low = (await NewRunAsync(exp, startTime: 1)).Info.RunId;
        var high = (await NewRunAsync(exp, startTime: 2)).Info.RunId;
        var nan = (await NewRunAsync(exp, startTime: 3)).Info.RunId;
        var missing = (await NewRunAsync(exp, startTime: 4)).Info.RunId;
        await LogMetricsAsync(low, new Metric("m", -1, 1, 0));
        await LogMetricsAsync(high, new Metric("m", 10, 1, 0));
        await LogMetricsAsync(nan, new Metric("m", double.NaN, 1, 0));

        Assert.Equal([low, high, nan, missing], await SearchRunIdsAsync(exp, [], [new OrderBy(SearchEntity.Metric, "m", true)]));
        Assert.Equal([nan, high, low, missing], await SearchRunIdsAsync(exp, [], [new OrderBy(SearchEntity.Metric, "m", false)]));
    }

    [ContractFact]
    public async Task Search_runs_orders_params_and_attributes_with_tie_break()
    {
        var exp = await Store.CreateExperimentAsync("order2", null, []);
        var first = (await NewRunAsync(exp, "b", 10)).Info.RunId;
        var second = (await NewRunAsync(exp, "a", 20)).Info.RunId;
        var third = (await NewRunAsync(exp, "c", 20)).Info.RunId;
        await LogParamsAsync(first, new Param("p", "x"));
        await LogParamsAsync(third, new Param("p", "y"));

        Assert.Equal([first, third, second], await SearchRunIdsAsync(exp, [], [new OrderBy(SearchEntity.Param, "p", true)]));
        Assert.Equal([third, first, second], await SearchRunIdsAsync(exp, [], [new OrderBy(SearchEntity.Param, "p", false)]));
        Assert.Equal([second, first, third], await SearchRunIdsAsync(exp, [], [new OrderBy(SearchEntity.Attribute, "run_name", true)]));
        var tied = new[] { second, third }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal([.. tied, first], await SearchRunIdsAsync(exp, []));
    }

    [ContractFact]
    public async Task Search_runs_pages_with_offset_and_has_more()
    {
        var exp = await Store.CreateExperimentAsync("paging", null, []);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await NewRunAsync(exp, startTime: 100 - i)).Info.RunId);
        }

        var first = await Store.SearchRunsAsync(new RunQuery([exp], [], ViewType.ActiveOnly, [], 0, 2));
        var second = await Store.SearchRunsAsync(new RunQuery([exp], [], ViewType.ActiveOnly, [], 2, 2));
        var last = await Store.SearchRunsAsync(new RunQuery([exp], [], ViewType.ActiveOnly, [], 4, 2));

        Assert.Equal(ids[..2], first.Items.Select(r => r.Info.RunId));
        Assert.True(first.HasMore);
        Assert.Equal(ids[2..4], second.Items.Select(r => r.Info.RunId));
        Assert.True(second.HasMore);
        Assert.Equal(ids[4..], last.Items.Select(r => r.Info.RunId));
        Assert.False(last.HasMore);
    }

    [ContractFact]
    public async Task Search_runs_returns_full_run_data()
    {
        var exp = await Store.CreateExperimentAsync("data-in-search", null, []);
        var run = (await NewRunAsync(exp, "full")).Info.RunId;
        await Store.LogBatchAsync(run, [new Metric("m", 1, 1, 0), new Metric("m", 2, 2, 1)], [new Param("p", "v")], [new Tag("t", "v")]);

        var found = Assert.Single((await Store.SearchRunsAsync(new RunQuery([exp], [], ViewType.ActiveOnly, [], 0, 10))).Items);

        Assert.Equal([new Metric("m", 2, 2, 1)], found.Data.Metrics);
        Assert.Equal([new Param("p", "v")], found.Data.Params);
        Assert.Equal([new Tag("mlflow.runName", "full"), new Tag("t", "v")], found.Data.Tags);
    }
}
