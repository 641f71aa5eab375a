using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines.Tests;

[Collection(StepsCollection.Name)]
public sealed class ValidateStepTests(StepsFixture fixture)
{
    private static readonly Dictionary<string, string> Input = new() { ["dataset"] = StepsFixture.Dataset };

    [Fact]
    public async Task Validates_the_version_against_the_attached_suite_and_passes_the_same_version_on()
    {
        var (outcome, context, log) = await fixture.RunAsync(new ValidateStep(fixture.Services), "{}", Input);

        Assert.Equal(StepsFixture.Dataset, outcome.Outputs["dataset"]);
        Assert.StartsWith($"runs:/{context.MlflowRunId}/validation/", outcome.Outputs["report"], StringComparison.Ordinal);
        var report = JsonNode.Parse(await fixture.ReadTextAsync(outcome.Outputs["report"]))!;
        var results = report["results"]!.AsArray();
        Assert.Equal(13, results.Count);
        var exists = results.Single(r => (string?)r!["expectation_config"]!["type"] == "expect_column_to_exist");
        Assert.True((bool)exists!["success"]!);
        Assert.Equal(13, outcome.Metrics!["expectations_evaluated"]);
        Assert.Equal(0, outcome.Metrics["expectations_failed_critical"]);
        Assert.Contains(log, l => l.Contains("expectations passed", StringComparison.Ordinal));
        Assert.Contains("<html", await fixture.ReadTextAsync(outcome.Outputs["report"].Replace("validation_result.json", "validation_report.html", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failed_expectation_fails_the_step_naming_it_but_the_report_is_kept()
    {
        var suite = Path.Combine(fixture.Root, "strict.suite.json");
        await File.WriteAllTextAsync(suite, """
            {"name": "strict", "expectations": [
              {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1000}},
              {"type": "expect_column_values_to_be_between", "kwargs": {"column": "mean_radius", "max_value": 10}},
              {"type": "expect_column_to_exist", "kwargs": {"column": "diagnosis"}}]}
            """);
        var type = new ValidateStep(fixture.Services);
        var step = StepsFixture.Step("check", "validate", $$"""{"suite": {{System.Text.Json.JsonSerializer.Serialize(suite)}}}""", Input);
        var (context, _) = await fixture.ContextAsync(step, Input);

        var error = await Assert.ThrowsAsync<KeelException>(() => type.RunAsync(context, CancellationToken.None));

        Assert.Contains("Step 'check' (validate): 2 expectations failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("expect_table_row_count_to_be_between", error.Message, StringComparison.Ordinal);
        Assert.Contains("expect_column_values_to_be_between(column=mean_radius)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("expect_column_to_exist", error.Message, StringComparison.Ordinal);
        var report = JsonNode.Parse(await fixture.ReadTextAsync($"runs:/{context.MlflowRunId}/validation/validation_result.json"))!;
        Assert.False((bool)report["success"]!);
    }

    [Fact]
    public async Task With_fail_on_error_false_a_failed_expectation_is_reported_not_fatal()
    {
        var suite = Path.Combine(fixture.Root, "too-many-rows.suite.json");
        await File.WriteAllTextAsync(suite, """{"name": "rows", "expectations": [{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1000}}]}""");

        var (outcome, _, log) = await fixture.RunAsync(
            new ValidateStep(fixture.Services), $$"""{"suite": {{System.Text.Json.JsonSerializer.Serialize(suite)}}, "fail_on_error": false}""", Input);

        Assert.Equal(StepsFixture.Dataset, outcome.Outputs["dataset"]);
        Assert.Equal(1, outcome.Metrics!["expectations_failed_critical"]);
        Assert.Contains(log, l => l.Contains("fail_on_error: false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_edited_suite_file_changes_the_cache_material()
    {
        var suite = Path.Combine(fixture.Root, "edited.suite.json");
        await File.WriteAllTextAsync(suite, """{"name": "a", "expectations": []}""");
        var type = new ValidateStep(fixture.Services);
        var step = StepsFixture.Step("check", "validate", $$"""{"suite": {{System.Text.Json.JsonSerializer.Serialize(suite)}}}""", Input);
        var (context, _) = await fixture.ContextAsync(step, Input, tracking: false);
        var before = await type.CacheMaterialAsync(context, CancellationToken.None);

        await File.WriteAllTextAsync(suite, """{"name": "b", "expectations": []}""");

        Assert.NotEqual(before, await type.CacheMaterialAsync(context, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_input_without_a_suite_fails_when_run_and_its_cache_check_does_not_throw()
    {
        var input = new Dictionary<string, string> { ["dataset"] = StepsFixture.DataFile("breast_cancer.csv") };
        var type = new ValidateStep(fixture.Services);
        var step = StepsFixture.Step("check", "validate", "{}", input);
        type.Validate(step);
        var (context, _) = await fixture.ContextAsync(step, input, tracking: false);

        Assert.Single(await type.CacheMaterialAsync(context, CancellationToken.None));
        var error = await Assert.ThrowsAsync<KeelException>(() => type.RunAsync(context, CancellationToken.None));

        Assert.Contains("Step 'check' (validate): parameter 'suite' is required when the input is not a dataset URI", error.Message, StringComparison.Ordinal);
    }
}
