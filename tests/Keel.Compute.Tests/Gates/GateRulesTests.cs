using Keel.Compute.Gates;
using Keel.Compute.Metrics;
using Xunit;
using static Keel.Compute.Tests.Gates.GateTestData;

namespace Keel.Compute.Tests.Gates;

/// <summary>Metric rules: bounds, allowed regressions, the first model, missing metrics and zero baselines.</summary>
public sealed class GateRulesTests
{
    [Fact]
    public void First_model_passes_on_its_bounds_alone_and_says_so()
    {
        var (y, _, challenger) = BinaryWithErrors(100, [], [0, 1, 2]);
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, null, challenger, new GatePolicy { Metrics = [Higher("accuracy", bound: 0.9, maxRegression: 0)] }));
        Assert.Equal(GateDecision.Pass, report.Decision);
        Assert.True(report.FirstModel);
        Assert.Equal(FirstModelPolicy.Pass, report.FirstModelPolicy);
        Assert.Equal(GateCheckStatus.Passed, Check(report, GateCheckKind.FirstModel, "first_model").Status);
        var acc = Check(report, GateCheckKind.Metric, "accuracy");
        Assert.Equal(0.97, acc.ChallengerValue!.Value, 12);
        Assert.Null(acc.ChampionValue);
        Assert.Null(acc.Significance);
        Assert.Contains("no champion", acc.Reason, StringComparison.Ordinal);
        Assert.Null(report.ChampionMetrics);
    }

    [Fact]
    public void First_model_below_its_bound_fails()
    {
        var (y, _, challenger) = BinaryWithErrors(100, [], Enumerable.Range(0, 20));
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, null, challenger, new GatePolicy { Metrics = [Higher("accuracy", bound: 0.9)] }));
        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Contains("accuracy 0.8 is below the minimum 0.9", Assert.Single(report.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void First_model_with_require_bounds_fails_a_rule_without_a_bound()
    {
        var (y, _, challenger) = BinaryWithErrors(100, [], []);
        var policy = new GatePolicy { FirstModel = FirstModelPolicy.RequireBounds, Metrics = [Higher("accuracy", bound: 0.9), Lower("log_loss")] };
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, null, challenger, policy));
        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Equal(GateCheckStatus.Passed, Check(report, GateCheckKind.Metric, "accuracy").Status);
        Assert.Contains("log_loss has no absolute bound", Check(report, GateCheckKind.Metric, "log_loss").Reason, StringComparison.Ordinal);

        // The same policy with a champion does not ask for bounds.
        var (_, champion, _) = BinaryWithErrors(100, [], []);
        Assert.Equal(GateDecision.Pass, GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, policy)).Decision);
    }

    [Fact]
    public void First_model_with_fail_policy_never_passes()
    {
        var (y, _, challenger) = BinaryWithErrors(100, [], []);
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, null, challenger, new GatePolicy { FirstModel = FirstModelPolicy.Fail, Metrics = [Higher("accuracy", bound: 0.5)] }));
        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Contains("first_model=fail", Assert.Single(report.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_unknown_for_the_task_fails_naming_it()
    {
        var (y, champion, challenger) = Regression(50, 1, 1, 1);
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, champion, challenger, new GatePolicy { Metrics = [Higher("auc"), Lower("rmse", maxRelative: 1)] }));
        Assert.Equal(GateDecision.Fail, report.Decision);
        var reason = Assert.Single(report.Reasons);
        Assert.Contains("metric 'auc' is missing for the challenger", reason, StringComparison.Ordinal);
        Assert.Contains("not computed for regression models", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_undefined_on_the_rows_fails_as_missing()
    {
        // One class only: AUC is undefined (the metric code's 0.5 there is not a measurement).
        double[] y = [1, 1, 1, 1];
        double[] p = [0.9, 0.8, 0.7, 0.6];
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, p, p, new GatePolicy { Metrics = [Higher("auc"), Higher("accuracy")] }));
        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Equal("metric 'auc' is missing for the challenger (undefined on these rows)", Assert.Single(report.Reasons));
        Assert.DoesNotContain("auc", report.ChallengerMetrics.Keys);
        Assert.Equal(GateCheckStatus.Passed, Check(report, GateCheckKind.Metric, "accuracy").Status);
    }

    [Fact]
    public void Metric_missing_for_the_champion_fails_unless_bounds_only()
    {
        var (y, champion, challenger) = Regression(50, 1, 1, 1);
        var inputs = Inputs(GateTask.Regression, y, champion, challenger, new GatePolicy { Metrics = [Lower("model_size_mb", bound: 100, maxRelative: 0.1)] }) with
        {
            ChallengerMetrics = new Dictionary<string, double> { ["model_size_mb"] = 40 },
        };
        var report = GateEvaluator.Evaluate(inputs);
        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Contains("metric 'model_size_mb' is missing for the champion, so the comparison cannot run", Assert.Single(report.Reasons), StringComparison.Ordinal);

        var lenient = GateEvaluator.Evaluate(inputs with { Policy = inputs.Policy with { MissingChampionMetric = MissingChampionMetricPolicy.BoundsOnly } });
        Assert.Equal(GateDecision.Pass, lenient.Decision);
        Assert.Contains("comparison skipped", Check(lenient, GateCheckKind.Metric, "model_size_mb").Reason, StringComparison.Ordinal);

        var overBound = GateEvaluator.Evaluate(inputs with
        {
            Policy = inputs.Policy with { MissingChampionMetric = MissingChampionMetricPolicy.BoundsOnly },
            ChallengerMetrics = new Dictionary<string, double> { ["model_size_mb"] = 140 },
        });
        Assert.Equal(GateDecision.Fail, overBound.Decision);
    }

    [Fact]
    public void Supplied_metrics_are_compared_and_cannot_shadow_computed_ones()
    {
        var (y, champion, challenger) = Regression(50, 1, 1, 1);
        var inputs = Inputs(GateTask.Regression, y, champion, challenger, new GatePolicy { Metrics = [Lower("model_size_mb", maxRelative: 0.1)] }) with
        {
            ChallengerMetrics = new Dictionary<string, double> { ["model_size_mb"] = 54 },
            ChampionMetrics = new Dictionary<string, double> { ["model_size_mb"] = 50 },
        };
        Assert.Equal(GateDecision.Pass, GateEvaluator.Evaluate(inputs).Decision);
        Assert.Equal(GateDecision.Fail, GateEvaluator.Evaluate(inputs with { ChallengerMetrics = new Dictionary<string, double> { ["model_size_mb"] = 56 } }).Decision);

        var e = Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(inputs with { ChallengerMetrics = new Dictionary<string, double> { ["rmse"] = 0.1 } }));
        Assert.Equal("challenger_metrics", e.ParamName);
    }

    [Fact]
    public void Zero_baseline_with_a_relative_allowance_allows_no_regression()
    {
        double[] y = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] perfect = [.. y];
        double[] slightlyOff = [1, 2, 3, 4, 5, 6, 7, 8.4];
        var policy = new GatePolicy { Metrics = [Lower("mae", maxRegression: 1, maxRelative: 0.5)] };

        var report = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, perfect, slightlyOff, policy));
        Assert.Equal(GateDecision.Fail, report.Decision);
        var mae = Check(report, GateCheckKind.Metric, "mae");
        Assert.Equal(0, mae.ChampionValue);
        Assert.Equal(0, mae.AllowedRegression);
        Assert.Null(mae.RelativeDelta);
        Assert.Contains("zero baseline", mae.Reason, StringComparison.Ordinal);

        // No regression on a zero baseline is fine.
        Assert.Equal(GateDecision.Pass, GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, perfect, perfect, policy)).Decision);

        // Absolute allowance alone on the same zero baseline.
        Assert.Equal(GateDecision.Pass, GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, perfect, slightlyOff, new GatePolicy { Metrics = [Lower("mae", maxRegression: 1)] })).Decision);
    }

    [Fact]
    public void Relative_allowance_is_a_fraction_of_the_champion()
    {
        double[] y = [0, 0, 0, 0];
        double[] champion = [1, -1, 1, -1];           // mae 1
        double[] challenger = [1.04, -1.04, 1.04, -1.04]; // mae 1.04: 4% worse
        var pass = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, champion, challenger, new GatePolicy { Metrics = [Lower("mae", maxRelative: 0.05)] }));
        Assert.Equal(GateDecision.Pass, pass.Decision);
        var mae = Check(pass, GateCheckKind.Metric, "mae");
        Assert.Equal(0.04, mae.Delta!.Value, 12);
        Assert.Equal(0.04, mae.RelativeDelta!.Value, 12);
        Assert.Equal(0.05, mae.AllowedRegression!.Value, 12);
        Assert.Equal(0.05, mae.AllowedRelativeRegression);

        var fail = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, champion, challenger, new GatePolicy { Metrics = [Lower("mae", maxRelative: 0.03)] }));
        Assert.Equal(GateDecision.Fail, fail.Decision);
        Assert.Contains("mae regressed by 0.04 (1 -> 1.04), more than the allowed 0.03", Assert.Single(fail.Reasons), StringComparison.Ordinal);

        // Both allowances: the tighter one decides.
        var both = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, champion, challenger, new GatePolicy { Metrics = [Lower("mae", maxRegression: 0.5, maxRelative: 0.03)] }));
        Assert.Equal(GateDecision.Fail, both.Decision);
    }

    [Fact]
    public void Absolute_allowance_and_no_allowance()
    {
        var (y, champion, challenger) = BinaryWithErrors(100, [0], [0, 1, 2]); // accuracy 0.99 → 0.97
        var within = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { Metrics = [Higher("accuracy", maxRegression: 0.025)] }));
        Assert.Equal(GateDecision.Pass, within.Decision);
        Assert.Equal(-0.02, Check(within, GateCheckKind.Metric, "accuracy").Delta!.Value, 12);

        var beyond = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { Metrics = [Higher("accuracy", maxRegression: 0.015)] }));
        Assert.Equal(GateDecision.Fail, beyond.Decision);

        // No allowance: no regression at all.
        var strict = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { Metrics = [Higher("accuracy")] }));
        Assert.Equal(GateDecision.Fail, strict.Decision);
        Assert.Equal(0, Check(strict, GateCheckKind.Metric, "accuracy").AllowedRegression);
    }

    [Fact]
    public void Bounds_are_minimums_or_maximums_by_direction()
    {
        var (y, champion, challenger) = Regression(200, 1.0, 1.0, 3);
        var rmse = RegressionMetrics.Compute(y, challenger)["rmse"];
        var policy = new GatePolicy { Metrics = [Lower("rmse", bound: rmse + 0.01, maxRegression: 10)] };
        Assert.Equal(GateDecision.Pass, GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, champion, challenger, policy)).Decision);
        var over = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, champion, challenger, new GatePolicy { Metrics = [Lower("rmse", bound: rmse - 0.01, maxRegression: 10)] }));
        Assert.Contains("above the maximum", Assert.Single(over.Reasons), StringComparison.Ordinal);
        var r2 = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, champion, challenger, new GatePolicy { Metrics = [Higher("r2", bound: 0.99, maxRegression: 10)] }));
        Assert.Contains("below the minimum 0.99", Assert.Single(r2.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Multiclass_accuracy_uses_arg_max_and_mcnemar()
    {
        double[] y = [0, 1, 2, 0, 1, 2];
        double[] champion = [.9, .05, .05, .1, .8, .1, .3, .4, .3, .2, .7, .1, .1, .8, .1, .2, .2, .6];   // wrong on rows 2 and 3
        double[] challenger = [.9, .05, .05, .1, .8, .1, .1, .1, .8, .7, .2, .1, .1, .8, .1, .2, .2, .6]; // right everywhere
        var inputs = Inputs(GateTask.Multiclass, y, champion, challenger, new GatePolicy { Metrics = [Higher("accuracy"), Lower("log_loss", maxRelative: 0.5)] }) with { ClassNames = ["a", "b", "c"] };
        var report = GateEvaluator.Evaluate(inputs);
        Assert.Equal(GateDecision.Pass, report.Decision);
        var acc = Check(report, GateCheckKind.Metric, "accuracy");
        Assert.Equal(1.0, acc.ChallengerValue);
        Assert.Equal(4.0 / 6, acc.ChampionValue!.Value, 12);
        Assert.Equal("mcnemar_exact", acc.Significance!.Test);
        Assert.Equal(2, acc.Significance.ChallengerOnlyCorrect);
        Assert.Equal(0.5, acc.Significance.PValue, 12);
        Assert.Contains("class_a_recall", report.ChallengerMetrics.Keys);
    }

    [Fact]
    public void Bad_inputs_name_the_field()
    {
        var (y, champion, challenger) = BinaryWithErrors(10, [], []);
        var policy = new GatePolicy { Metrics = [Higher("accuracy")] };
        y[2] = 3;
        Assert.Equal("labels[2]", Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, policy))).ParamName);
        y[2] = 0;
        Assert.Equal("champion_predictions", Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion[..5], challenger, policy))).ParamName);
        challenger[1] = double.NaN;
        Assert.Equal("challenger_predictions[1]", Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, policy))).ParamName);
        challenger[1] = 0.5;
        Assert.Equal("policy.alpha", Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, policy with { Alpha = 1.5 }))).ParamName);
        Assert.Equal("policy.metrics[0].max_regression", Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { Metrics = [Higher("accuracy", maxRegression: -1)] }))).ParamName);
        Assert.Equal("policy.metrics[1].name", Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { Metrics = [Higher("accuracy"), Higher("accuracy")] }))).ParamName);
        Assert.Equal("policy.slices[0].metrics", Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, policy with { Slices = [new SliceRule { Column = "s", Metrics = ["auc"] }] }))).ParamName);
        Assert.Equal("slice_columns.s", Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, policy) with { SliceColumns = new Dictionary<string, IReadOnlyList<string>> { ["s"] = ["a"] } })).ParamName);
    }
}
