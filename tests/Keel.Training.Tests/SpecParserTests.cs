using Keel.Core.Errors;
using Xunit;

namespace Keel.Training.Tests;

public sealed class SpecParserTests
{
    [Fact]
    public void Parses_every_section()
    {
        var spec = TrainingSpecParser.Parse("""
            data: data/wine.csv
            label: class
            task: multiclass
            exclude: [proline]
            validation:
              kfold: 3
            metric: log_loss
            search:
              trials: 12
              time_budget: 30
              trainers: [lightgbm, sdca]
              parallelism: 2
            seed: 7
            fairness:
              sensitive: [ash]
              limits:
                worst_group_error: 0.2
            experiment: wine
            register_as: wine-model
            """, "/base");
        Assert.Equal("/base/data/wine.csv", spec.Data);
        Assert.Equal(TrainingTask.Multiclass, spec.Task);
        Assert.Equal(ValidationKind.KFold, spec.Validation.Kind);
        Assert.Equal(3, spec.Validation.Folds);
        Assert.Equal(12, spec.Trials);
        Assert.Equal(30, spec.TimeBudgetSeconds);
        Assert.Equal(["lightgbm", "sdca"], spec.Trainers);
        Assert.Equal(7, spec.Seed);
        Assert.Equal(["ash"], spec.Sensitive);
        Assert.Equal(0.2, spec.FairnessLimits.MaxWorstGroupError);
        Assert.Equal("wine-model", spec.RegisterAs);
    }

    [Theory]
    [InlineData("label: y\ntask: binary", "'data'")]
    [InlineData("data: x.csv\ntask: binary", "'label'")]
    [InlineData("data: x.csv\nlabel: y\ntask: clustering", "'task'")]
    [InlineData("data: x.csv\nlabel: y\ntask: binary\nvalidation:\n  kfold: 1", "'validation.kfold'")]
    [InlineData("data: x.csv\nlabel: y\ntask: binary\nvalidation:\n  holdout: 1.5", "'validation.holdout'")]
    [InlineData("data: x.csv\nlabel: y\ntask: binary\nsearch:\n  trials: many", "'search.trials'")]
    [InlineData("data: x.csv\nlabel: y\ntask: binary\nsearch:\n  trainers: [xgboost]", "'search.trainers'")]
    [InlineData("data: x.csv\nlabel: y\ntask: regression\nmetric: auc", "'metric'")]
    [InlineData("data: x.csv\nlabel: y\ntask: binary\nsearch:\n  budget: 3", "'search.budget'")]
    [InlineData("data: x.csv\nlabel: y\ntask: binary\nfairness:\n  limits:\n    parity: 0.1", "'fairness.limits.parity'")]
    public void Errors_name_the_field(string yaml, string field)
    {
        var ex = Assert.Throws<KeelException>(() => TrainingSpecParser.Parse(yaml));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_column_is_named_with_its_field()
    {
        using var fx = new TrainingFixture();
        var spec = new TrainingSpec { Data = TrainingFixture.DataFile("wine.csv"), Label = "kind", Task = TrainingTask.Multiclass, Trials = 1 };
        var ex = await Assert.ThrowsAsync<KeelException>(() => fx.Runner().RunAsync(spec));
        Assert.Contains("'label'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("kind", ex.Message, StringComparison.Ordinal);
    }
}
