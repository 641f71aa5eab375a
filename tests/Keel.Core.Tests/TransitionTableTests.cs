using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.Core.Tests;

/// <summary>The lifecycle transition tables of runs, experiments and model-version stages.</summary>
public sealed class TransitionTableTests
{
    [Theory]
    [InlineData(RunStatus.Running, RunStatus.Finished, true)]
    [InlineData(RunStatus.Running, RunStatus.Failed, true)]
    [InlineData(RunStatus.Running, RunStatus.Killed, true)]
    [InlineData(RunStatus.Running, RunStatus.Scheduled, false)]
    [InlineData(RunStatus.Scheduled, RunStatus.Running, true)]
    [InlineData(RunStatus.Finished, RunStatus.Running, true)] // start_run(run_id=...) resumes a run
    [InlineData(RunStatus.Finished, RunStatus.Finished, true)] // a retried end is idempotent
    [InlineData(RunStatus.Finished, RunStatus.Failed, false)]
    [InlineData(RunStatus.Failed, RunStatus.Killed, false)]
    [InlineData(RunStatus.Killed, RunStatus.Finished, false)]
    [InlineData(RunStatus.Killed, RunStatus.Scheduled, false)]
    public void Run_status_table(RunStatus from, RunStatus to, bool allowed)
    {
        Assert.Equal(allowed, from.CanMoveTo(to));
        if (allowed)
        {
            from.EnsureCanMoveTo(to);
        }
        else
        {
            var e = Assert.Throws<KeelException>(() => from.EnsureCanMoveTo(to));
            Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
            Assert.Contains($"from {from.ToWire()} to {to.ToWire()}", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_run_status_has_a_row_and_round_trips_its_wire_name_and_number()
    {
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            Assert.True(status.CanMoveTo(status) || !status.IsTerminal());
            Assert.True(RunStatusTransitions.TryParse(status.ToWire(), out var byName));
            Assert.Equal(status, byName);
            Assert.True(RunStatusTransitions.TryParse(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), out var byNumber));
            Assert.Equal(status, byNumber);
        }

        Assert.False(RunStatusTransitions.TryParse("finished", out _));
    }

    [Fact]
    public void Experiments_refuse_a_delete_of_a_deleted_one_and_a_restore_of_an_active_one()
    {
        var e = Assert.Throws<KeelException>(() => LifecycleStage.Deleted.EnsureExperimentCanMoveTo(LifecycleStage.Deleted, "7"));
        Assert.Equal((ErrorCode.ResourceDoesNotExist, "No Experiment with id=7 exists"), (e.Code, e.Message));
        e = Assert.Throws<KeelException>(() => LifecycleStage.Active.EnsureExperimentCanMoveTo(LifecycleStage.Active, "7"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        LifecycleStage.Active.EnsureExperimentCanMoveTo(LifecycleStage.Deleted, "7");
        LifecycleStage.Deleted.EnsureExperimentCanMoveTo(LifecycleStage.Active, "7");
    }

    [Fact]
    public void A_deleted_run_or_experiment_refuses_writes_with_mlflow_wording()
    {
        var e = Assert.Throws<KeelException>(() => LifecycleStage.Deleted.EnsureRunActive("abc"));
        Assert.Equal("The run abc must be in the 'active' state. Current state is deleted.", e.Message);
        e = Assert.Throws<KeelException>(() => LifecycleStage.Deleted.EnsureExperimentActive("3"));
        Assert.Equal("The experiment 3 must be in the 'active' state. Current state is deleted.", e.Message);
        LifecycleStage.Active.EnsureRunActive("abc");
    }

    [Fact]
    public void Stages_move_anywhere_but_to_themselves()
    {
        foreach (var from in Enum.GetValues<ModelStage>())
        {
            foreach (var to in Enum.GetValues<ModelStage>())
            {
                Assert.Equal(from != to, from.CanMoveTo(to));
            }
        }

        var e = Assert.Throws<KeelException>(() => ModelStage.Production.EnsureCanMoveTo(ModelStage.Production, "m", "2"));
        Assert.Equal("Model version m version 2 is already in stage 'Production'.", e.Message);
    }

    [Theory]
    [InlineData("production", ModelStage.Production)]
    [InlineData("STAGING", ModelStage.Staging)]
    [InlineData("None", ModelStage.None)]
    [InlineData("archived", ModelStage.Archived)]
    public void Stage_names_parse_case_insensitively(string value, ModelStage expected) => Assert.Equal(expected, ModelStages.Parse(value));

    [Fact]
    public void An_unknown_stage_lists_the_valid_ones()
    {
        var e = Assert.Throws<KeelException>(() => ModelStages.Parse("prod"));
        Assert.Equal("Invalid Model Version stage: prod. Value must be one of None, Staging, Production, Archived.", e.Message);
    }

    [Fact]
    public void Model_version_statuses_round_trip_their_wire_names()
    {
        foreach (var status in Enum.GetValues<ModelVersionStatus>())
        {
            Assert.True(ModelVersionStatuses.TryParse(status.ToWire(), out var parsed));
            Assert.Equal(status, parsed);
        }

        Assert.False(ModelVersionStatuses.TryParse("ready", out _));
    }
}
