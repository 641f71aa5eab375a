using Keel.Data.Profiling;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines.Tests;

[Collection(StepsCollection.Name)]
public sealed class ProfileStepTests(StepsFixture fixture)
{
    private static readonly Dictionary<string, string> Input = new() { ["dataset"] = StepsFixture.Dataset };

    [Fact]
    public async Task Profiles_the_version_into_an_artifact_of_the_step_run()
    {
        var (outcome, context, _) = await fixture.RunAsync(new ProfileStep(fixture.Services), "{}", Input);

        Assert.Equal($"runs:/{context.MlflowRunId}/profile/profile.json", outcome.Outputs["report"]);
        var profile = TableProfile.Parse(await fixture.ReadTextAsync(outcome.Outputs["report"]));
        Assert.Equal(569, profile.RowCount);
        Assert.Equal(31, profile.Columns.Count);
        Assert.Equal(569, profile.Column("mean_radius")!.Count);
        Assert.Equal(569, outcome.Metrics!["rows"]);
    }

    [Fact]
    public async Task With_tracking_off_the_report_is_a_file_in_the_work_directory()
    {
        var (outcome, context, _) = await fixture.RunAsync(new ProfileStep(fixture.Services), "{}", new Dictionary<string, string> { ["dataset"] = StepsFixture.DataFile("breast_cancer.csv") }, tracking: false);

        Assert.Null(context.MlflowRunId);
        Assert.StartsWith(context.WorkDirectory, outcome.Outputs["report"], StringComparison.Ordinal);
        Assert.Equal(569, TableProfile.Parse(await File.ReadAllTextAsync(outcome.Outputs["report"])).RowCount);
    }
}
