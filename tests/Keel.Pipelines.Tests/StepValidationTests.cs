using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines.Tests;

/// <summary>What apply-time checks refuse: unknown and missing parameters, bad values, each naming the step and the field.</summary>
[Collection(StepsCollection.Name)]
public sealed class StepValidationTests(StepsFixture fixture)
{
    public static TheoryData<string, string, string> Refused => new()
    {
        { "validate", """{"suite": "s.json", "strict": true}""", "parameter 'strict' is not known; validate takes fail_on_error, suite" },
        { "validate", """{"fail_on_error": "maybe"}""", "parameter 'fail_on_error' must be true or false" },
        { "profile", """{"bins": 10}""", "parameter 'bins' is not known" },
        { "train", """{"task": "binary"}""", "parameter 'label' is required" },
        { "train", """{"label": "y"}""", "parameter 'task' is required" },
        { "train", """{"label": "y", "task": "binary", "data": "x.csv"}""", "parameter 'data' is not known" },
        { "train", """{"label": "y", "task": "binary", "trials": 0}""", "Field 'search.trials' must be at least 1" },
        { "train", """{"label": "y", "task": "binary", "metric": "rmse"}""", "Field 'metric' 'rmse' is not a binary metric" },
        { "train", """{"label": "y", "task": "ranking"}""", "unknown task 'ranking'" },
        { "train", """{"label": "y", "task": "binary", "trials": 3, "search": {"trials": 4}}""", "give 'trials' once" },
        { "evaluate", """{"task": "binary"}""", "parameter 'label' is required" },
        { "evaluate", """{"label": "y", "task": "ranking"}""", "parameter 'task' 'ranking' is not one of binary, multiclass, regression" },
        { "evaluate", """{"label": "y", "threshold": 0.5}""", "parameter 'threshold' is not known" },
        { "batch_predict", """{"format": "xlsx"}""", "parameter 'format' 'xlsx' is not one of csv, parquet" },
        { "batch_predict", """{"output": "x"}""", "parameter 'output' is not known" },
        { "drift_report", """{"method": "magic"}""", "parameter 'method' is not valid" },
        { "drift_report", """{"drift_share": 2}""", "parameter 'drift_share' must be a number from 0 to 1" },
        { "drift_report", """{"per_column": "a=ks"}""", "parameter 'per_column' must map column names to method names" },
        { "drift_report", """{"window": 3}""", "parameter 'window' is not known" },
        { "materialize", """{"overlap": "an hour"}""", "parameter 'overlap' 'an hour' is not a duration" },
        { "materialize", """{"views": 3}""", "parameter 'views' must be a list of names" },
        { "materialize", """{"start": "2026-01-01"}""", "parameter 'start' is not known" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Bad_parameters_are_refused_naming_the_step_and_field(string type, string parameters, string expected)
    {
        var step = StepsFixture.Step("my-step", type, parameters);

        var error = Assert.Throws<KeelException>(() => Type(type).Validate(step));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.StartsWith($"Step 'my-step' ({type}): ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", """{"suite": "${params.suite}", "fail_on_error": "${params.strict}"}""")]
    [InlineData("train", """{"label": "diagnosis", "task": "binary", "trials": "${params.trials}", "register_as": "${params.model}"}""")]
    [InlineData("train", """{"label": "diagnosis", "task": "binary", "search": {"trials": 3, "time_budget": 60}, "fairness": {"sensitive": ["sex"], "limits": {"demographic_parity_difference": 0.1}}}""")]
    [InlineData("evaluate", """{"label": "diagnosis", "task": "${params.task}", "slices": "a,b"}""")]
    [InlineData("batch_predict", """{"format": "csv", "output_dataset": "scores"}""")]
    [InlineData("drift_report", """{"method": "ks", "threshold": "${params.t}", "columns": ["a"], "per_column": {"a": "psi"}, "drift_share": 0.3}""")]
    [InlineData("materialize", """{"views": ["driver_hourly", "customer"], "overlap": "30m", "incremental": true}""")]
    [InlineData("materialize", """{"views": "a,b", "overlap": "${params.overlap}"}""")]
    public void Good_parameters_and_templates_pass(string type, string parameters) =>
        Type(type).Validate(StepsFixture.Step("my-step", type, parameters));

    [Fact]
    public void Every_type_is_listed_once_in_the_catalog_with_its_ports()
    {
        var all = BuiltInSteps.All(fixture.Services);

        Assert.Equal(["noop", "validate", "profile", "train", "evaluate", "batch_predict", "drift_report", "command", "register", "deploy", "gate", "materialize"], all.Select(t => t.Name));
        Assert.All(all, t => Assert.Equal(1, t.Version));
        var evaluate = all.Single(t => t.Name == "evaluate");
        var step = StepsFixture.Step("e", "evaluate", """{"label": "y"}""");
        Assert.Equal(["model", "dataset"], evaluate.InputsOf(step).Select(p => p.Name));
        Assert.Equal(["metrics", "predictions"], evaluate.OutputsOf(step).Select(p => p.Name));
    }

    private IStepType Type(string name) => BuiltInSteps.All(fixture.Services).Single(t => t.Name == name);
}
