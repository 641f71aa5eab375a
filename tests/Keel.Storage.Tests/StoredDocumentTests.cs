using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Keel.Storage.Records;
using Xunit;

namespace Keel.Storage.Tests;

/// <summary>
/// The stored shapes are pinned: a document written today must read back whole, and its JSON must
/// not drift with the API or a C# rename (that would need a new schema version and a reader for the old one).
/// </summary>
public sealed class StoredDocumentTests
{
    private static readonly Endpoint Sample = new(
        "churn", "prod", EndpointMode.AbTest,
        [new Route("models:/m/1", 80, RouteRole.Primary), new Route("models:/m/2", 20, RouteRole.Challenger)],
        new RolloutPolicy(0.02, 1.5, 5, 0.25, 100), new EndpointLimits(64, 5000, 2000), "header:x-user",
        new Rollout("r1", "models:/m/1", "models:/m/2", [10, 100], 1, 30, null, RolloutState.Running, null, 10, 20, null,
            [new RolloutStep(10, "passed", null, 10, 20, new StepComparison(90, 10, 0, 0.1, 1.5, 2.5, double.NaN))]),
        [new Rollout("r0", "models:/m/0", "models:/m/1", [100], 0, null, 5, RolloutState.RolledBack, "p99", 1, 1, 2, [])],
        1, 30);

    [Fact]
    public void Endpoint_document_is_pinned()
    {
        var json = EndpointDocuments.Serialize(Sample with { Rollout = null, PastRollouts = [] });

        Assert.Equal(
            """{"v":1,"name":"churn","environment":"prod","mode":"ab_test","routes":[{"model_uri":"models:/m/1","weight":80,"role":"primary"},{"model_uri":"models:/m/2","weight":20,"role":"challenger"}],"policy":{"max_error_rate_increase":0.02,"max_p99_latency_ratio":1.5,"p99_latency_slack_ms":5,"max_divergence":0.25,"min_requests":100},"limits":{"max_concurrency":64,"max_batch_rows":5000,"timeout_ms":2000},"sticky_key":"header:x-user","past_rollouts":[],"created_at":1,"updated_at":30}""",
            json);
    }

    [Fact]
    public void Endpoint_round_trips_with_rollouts_and_a_NaN_measurement()
    {
        var read = EndpointDocuments.Parse(EndpointDocuments.Serialize(Sample));

        Assert.Equal(Sample.Routes, read.Routes);
        Assert.Equal((Sample.Policy, Sample.Limits, Sample.StickyKey, Sample.Mode), (read.Policy, read.Limits, read.StickyKey, read.Mode));
        Assert.Equal(Sample.Rollout!.Steps, read.Rollout!.Steps);
        Assert.Equal((30.0, (long?)null, RolloutState.Running), (read.Rollout.HoldSeconds, read.Rollout.HoldRequests, read.Rollout.State));
        var step = Assert.Single(read.Rollout.History);
        Assert.True(double.IsNaN(step.Comparison!.Divergence));
        Assert.Equal(Sample.Rollout.History[0] with { Comparison = null }, step with { Comparison = null });
        var past = Assert.Single(read.PastRollouts);
        Assert.Equal((RolloutState.RolledBack, "p99", (long?)2), (past.State, past.Reason, past.EndedAt));
    }

    [Fact]
    public void A_newer_schema_version_is_refused_with_a_clear_message()
    {
        var e = Assert.Throws<KeelException>(() => EndpointDocuments.Parse("""{"v":2,"name":"x"}"""));
        Assert.Equal(ErrorCode.InternalError, e.Code);
        Assert.Contains("storage schema version 2", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<KeelException>(() => RegistrySnapshots.Parse("""{"name":"x"}"""));
        Assert.Contains("no schema version", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_snapshots_round_trip_and_are_pinned()
    {
        var version = new ModelVersion("m", 3, 10, 20, "alice", ModelStage.Production, "d", "s3://b/m", "run1", ModelVersionStatus.Ready, null,
            [new Tag("k", "v")], "", ["champion"]) { StorageLocation = "s3://copy" };
        var model = new RegisteredModel("m", 1, 2, null, "desc", [version], [new Tag("team", "ml")], [new ModelAlias("champion", "3")]);

        var versionJson = RegistrySnapshots.Serialize(RegistrySnapshot.Of(version));
        Assert.Equal(
            """{"v":1,"version":{"name":"m","version":3,"created":10,"updated":20,"user_id":"alice","stage":"Production","description":"d","source":"s3://b/m","run_id":"run1","status":"READY","tags":[{"key":"k","value":"v"}],"run_link":"","aliases":["champion"],"storage_location":"s3://copy"}}""",
            versionJson);
        var readVersion = RegistrySnapshots.Parse(versionJson)!.Version!;
        Assert.Equal(version.Tags, readVersion.Tags);
        Assert.Equal(version.Aliases, readVersion.Aliases);
        Assert.Equal(version with { Tags = [], Aliases = [] }, readVersion with { Tags = [], Aliases = [] });

        var readModel = RegistrySnapshots.Parse(RegistrySnapshots.Serialize(RegistrySnapshot.Of(model)))!;
        Assert.Null(readModel.Version);
        Assert.Equal(("m", "desc", 3L), (readModel.Model!.Name, readModel.Model.Description, Assert.Single(readModel.Model.LatestVersions).Version));
        Assert.Equal(model.Tags, readModel.Model.Tags);
        Assert.Equal(model.Aliases, readModel.Model.Aliases);
        Assert.Null(RegistrySnapshots.Serialize(null));
        Assert.Null(RegistrySnapshots.Parse(null));
    }
}
