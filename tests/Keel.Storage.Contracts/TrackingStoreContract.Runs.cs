using Keel.Core.Errors;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Storage.Contracts;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Create_run_generates_name_tag_id_and_artifact_uri()
    {
        var experimentId = await Store.CreateExperimentAsync("runs", null, []);
        var experiment = await Store.GetExperimentAsync(experimentId);

        var run = await NewRunAsync(experimentId, tags: [new Tag("k", "v")]);

        Assert.Matches("^[0-9a-f]{32}$", run.Info.RunId);
        Assert.Matches(@"^[a-z]+-[a-z]+-\d+$", run.Info.RunName);
        Assert.Equal($"{experiment.ArtifactLocation}/{run.Info.RunId}/artifacts", run.Info.ArtifactUri);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Equal(LifecycleStage.Active, run.Info.LifecycleStage);
        Assert.Null(run.Info.EndTime);
        Assert.Equal([new Tag("k", "v"), new Tag("mlflow.runName", run.Info.RunName)], run.Data.Tags);

        var fetched = await Store.GetRunAsync(run.Info.RunId);
        Assert.Equal(run.Info, fetched.Info);
        Assert.Equal(run.Data.Tags, fetched.Data.Tags);
        Assert.Equal("alice", fetched.Info.UserId);
    }

    [ContractFact]
    public async Task Create_run_takes_name_from_argument_or_run_name_tag()
    {
        var named = await NewRunAsync(runName: "explicit");
        var tagged = await NewRunAsync(tags: [new Tag("mlflow.runName", "from-tag")]);

        Assert.Equal("explicit", named.Info.RunName);
        Assert.Contains(new Tag("mlflow.runName", "explicit"), named.Data.Tags);
        Assert.Equal("from-tag", tagged.Info.RunName);
        Assert.Single(tagged.Data.Tags, t => t.Key == "mlflow.runName");
    }

    [ContractFact]
    public async Task Create_run_in_unknown_experiment_raises_does_not_exist()
    {
        var error = await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => NewRunAsync("987"));
        Assert.Equal("No Experiment with id=987 exists", error.Message);
    }

    [ContractFact]
    public async Task Unknown_run_raises_does_not_exist()
    {
        var error = await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetRunAsync("0123456789abcdef0123456789abcdef"));
        Assert.Equal("Run with id=0123456789abcdef0123456789abcdef not found", error.Message);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => LogMetricsAsync("nope", new Metric("m", 1, 1, 0)));
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetMetricHistoryAsync("nope", "m"));
    }

    [ContractFact]
    public async Task Update_run_changes_status_end_time_and_name()
    {
        var run = await NewRunAsync(runName: "before");

        var info = await Store.UpdateRunAsync(run.Info.RunId, new RunUpdate(RunStatus.Finished, 1234, "after"));

        Assert.Equal(RunStatus.Finished, info.Status);
        Assert.Equal(1234, info.EndTime);
        Assert.Equal("after", info.RunName);
        var fetched = await Store.GetRunAsync(run.Info.RunId);
        Assert.Equal(info, fetched.Info);
        Assert.Contains(new Tag("mlflow.runName", "after"), fetched.Data.Tags);

        var unchanged = await Store.UpdateRunAsync(run.Info.RunId, new RunUpdate(null, null, null));
        Assert.Equal(info, unchanged);
    }

    [ContractFact]
    public async Task Run_status_transitions_follow_the_table()
    {
        var run = await NewRunAsync();
        await Store.UpdateRunAsync(run.Info.RunId, new RunUpdate(RunStatus.Failed, null, null));

        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => Store.UpdateRunAsync(run.Info.RunId, new RunUpdate(RunStatus.Finished, null, null)));
        await Store.UpdateRunAsync(run.Info.RunId, new RunUpdate(RunStatus.Failed, null, null));
        var resumed = await Store.UpdateRunAsync(run.Info.RunId, new RunUpdate(RunStatus.Running, null, null));

        Assert.Equal(RunStatus.Running, resumed.Status);
    }

    [ContractFact]
    public async Task Delete_and_restore_run_are_idempotent_and_block_writes()
    {
        var run = await NewRunAsync();
        var id = run.Info.RunId;

        await Store.DeleteRunAsync(id);
        await Store.DeleteRunAsync(id);
        Assert.Equal(LifecycleStage.Deleted, (await Store.GetRunAsync(id)).Info.LifecycleStage);

        var error = await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => LogMetricsAsync(id, new Metric("m", 1, 1, 0)));
        Assert.Contains("must be in the 'active' state", error.Message, StringComparison.Ordinal);
        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => LogParamsAsync(id, new Param("p", "1")));
        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => LogTagsAsync(id, new Tag("t", "1")));
        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => Store.UpdateRunAsync(id, new RunUpdate(RunStatus.Finished, null, null)));
        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => Store.DeleteTagAsync(id, "mlflow.runName"));
        await AssertFailsAsync(ErrorCode.InvalidParameterValue, () => Store.LogInputsAsync(id, [new DatasetInput(new Dataset("d", "1", "local", "x", null, null), [])]));

        await Store.RestoreRunAsync(id);
        await Store.RestoreRunAsync(id);
        await LogMetricsAsync(id, new Metric("m", 1, 1, 0));
        Assert.Equal(LifecycleStage.Active, (await Store.GetRunAsync(id)).Info.LifecycleStage);
        await AssertFailsAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteRunAsync("missing"));
    }

    [ContractFact]
    public async Task Dataset_inputs_are_deduplicated()
    {
        var experimentId = await Store.CreateExperimentAsync("data", null, []);
        var first = await NewRunAsync(experimentId);
        var second = await NewRunAsync(experimentId);
        var dataset = new Dataset("train", "abc123", "local", "/data/train.csv", "{\"cols\":[]}", null);
        var input = new DatasetInput(dataset, [new Tag("mlflow.data.context", "training")]);

        await Store.LogInputsAsync(first.Info.RunId, [input]);
        await Store.LogInputsAsync(first.Info.RunId, [input]);
        await Store.LogInputsAsync(second.Info.RunId, [input, new DatasetInput(dataset with { Digest = "def456" }, [])]);

        var firstInputs = (await Store.GetRunAsync(first.Info.RunId)).Inputs;
        var only = Assert.Single(firstInputs);
        Assert.Equal(dataset, only.Dataset);
        Assert.Equal([new Tag("mlflow.data.context", "training")], only.Tags);
        Assert.Equal(2, (await Store.GetRunAsync(second.Info.RunId)).Inputs.Count);
    }
    [ContractFact]
    public async Task Dataset_search_lists_distinct_datasets_with_their_context()
    {
        var experimentId = await Store.CreateExperimentAsync("datasets", null, []);
        var other = await Store.CreateExperimentAsync("other datasets", null, []);
        var first = await NewRunAsync(experimentId);
        var second = await NewRunAsync(experimentId);
        var train = new Dataset("train", "abc123", "local", "/data/train.csv", null, null);
        await Store.LogInputsAsync(first.Info.RunId, [new DatasetInput(train, [new Tag("mlflow.data.context", "training")])]);
        await Store.LogInputsAsync(second.Info.RunId, [
            new DatasetInput(train, [new Tag("mlflow.data.context", "training")]),
            new DatasetInput(train with { Name = "eval", Digest = "e1" }, []),
        ]);
        await Store.LogInputsAsync((await NewRunAsync(other)).Info.RunId, [new DatasetInput(train with { Name = "elsewhere" }, [])]);

        var found = await Store.SearchDatasetsAsync([experimentId, "not-an-experiment"], 1000);
        Assert.Equal(
            new[] { new DatasetSummary(experimentId, "eval", "e1", null), new DatasetSummary(experimentId, "train", "abc123", "training") },
            found);
        Assert.Single(await Store.SearchDatasetsAsync([experimentId], 1));
    }
}
