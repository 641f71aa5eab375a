using Keel.Core.Errors;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Storage.Tests;

/// <summary>The run and latest-metric rules both metadata backends apply before they write.</summary>
public sealed class RunRulesTests
{
    [Fact]
    public void A_new_run_is_named_by_the_request_else_by_a_non_empty_name_tag()
    {
        var tags = new[] { new Tag("mlflow.runName", "from-tag"), new Tag("k", "v") };

        var asked = RunRules.NewRunInfo(new NewRun("7", "u", "asked", 5, tags), "s3://b/7");
        var tagged = RunRules.NewRunInfo(new NewRun("7", "u", "", 5, tags), "s3://b/7");
        var generated = RunRules.NewRunInfo(new NewRun("7", "u", "", 5, [new Tag("mlflow.runName", "")]), "s3://b/7");

        Assert.Equal("asked", asked.RunName);
        Assert.Equal("from-tag", tagged.RunName);
        Assert.False(string.IsNullOrEmpty(generated.RunName));
        Assert.Equal(32, asked.RunId.Length);
        Assert.Equal($"s3://b/7/{asked.RunId}/artifacts", asked.ArtifactUri);
        Assert.Equal((RunStatus.Running, LifecycleStage.Active, (long?)null), (asked.Status, asked.LifecycleStage, asked.EndTime));
    }

    [Fact]
    public void The_name_tag_comes_last_holding_the_final_name()
    {
        var tags = RunRules.TagsWithName([new Tag("mlflow.runName", "old"), new Tag("k", "v")], "final");

        Assert.Equal([new Tag("k", "v"), new Tag("mlflow.runName", "final")], tags);
    }

    [Fact]
    public void An_update_changes_only_what_it_names_and_checks_the_status_move()
    {
        var info = new RunInfo("r", "1", "name", "u", RunStatus.Running, 1, null, "a", LifecycleStage.Active);

        Assert.Equal(info with { EndTime = 9 }, RunRules.Apply(info, new RunUpdate(null, 9, "")));
        Assert.False(RunRules.Renames(new RunUpdate(null, 9, "")));
        Assert.Equal(info with { Status = RunStatus.Finished, RunName = "new" }, RunRules.Apply(info, new RunUpdate(RunStatus.Finished, null, "new")));
        Assert.True(RunRules.Renames(new RunUpdate(null, null, "new")));
        var finished = info with { Status = RunStatus.Finished };
        Assert.Throws<KeelException>(() => RunRules.Apply(finished, new RunUpdate(RunStatus.Scheduled, null, null)));
    }

    [Fact]
    public void Latest_metric_candidates_keep_first_appearance_order_and_MLflows_newer_rule()
    {
        var candidates = LatestMetrics.Candidates(
        [
            Point("b", 1, step: 0, timestamp: 10),
            Point("a", 5, step: 0, timestamp: 10),
            Point("b", 0.5, step: 1, timestamp: 10),        // a greater step wins
            Point("a", 4, step: 0, timestamp: 11),          // same step, a later timestamp wins
            Point("a", double.NaN, step: 0, timestamp: 11), // NaN never wins a value tie
            Point("b", 0.7, step: 1, timestamp: 10),        // same step and timestamp: the greater value wins
            Point("b", 0.6, step: 1, timestamp: 10),
        ]);

        Assert.Equal([Point("b", 0.7, step: 1, timestamp: 10), Point("a", 4, step: 0, timestamp: 11)], candidates);
    }

    private static Metric Point(string key, double value, long step, long timestamp) => new(key, value, timestamp, step);
}
