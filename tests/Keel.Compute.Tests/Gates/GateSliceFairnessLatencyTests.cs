using Keel.Compute.Gates;
using Xunit;
using static Keel.Compute.Tests.Gates.GateTestData;

namespace Keel.Compute.Tests.Gates;

/// <summary>Slices with a minimum support, fairness limits and the latency budget.</summary>
public sealed class GateSliceFairnessLatencyTests
{
    private static readonly IReadOnlyList<string> Segments = [.. Enumerable.Range(0, 200).Select(i => i < 100 ? "A" : i < 190 ? "B" : "C")];

    [Fact]
    public void A_regression_hidden_in_a_slice_fails_the_gate_and_thin_slices_are_not_judged()
    {
        // Overall the challenger is better (4 errors vs 12), but in slice A it makes 4 errors where
        // the champion made none.
        var (y, champion, challenger) = BinaryWithErrors(200, Enumerable.Range(100, 12), [0, 1, 2, 3]);
        var policy = new GatePolicy
        {
            Metrics = [Higher("accuracy", maxRegression: 0.01)],
            Slices = [new SliceRule { Column = "segment", MinSupport = 20 }],
        };
        var inputs = Inputs(GateTask.Binary, y, champion, challenger, policy) with
        {
            SliceColumns = new Dictionary<string, IReadOnlyList<string>> { ["segment"] = Segments },
        };
        var report = GateEvaluator.Evaluate(inputs);

        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Equal(GateCheckStatus.Passed, Check(report, GateCheckKind.Metric, "accuracy").Status);
        var a = Check(report, GateCheckKind.Slice, "accuracy", "A");
        Assert.Equal(GateCheckStatus.Failed, a.Status);
        Assert.Equal(100, a.Support);
        Assert.Equal("segment", a.Column);
        Assert.Equal(1.0, a.ChampionValue);
        Assert.Equal(0.96, a.ChallengerValue!.Value, 12);
        Assert.Equal(GateCheckStatus.Passed, Check(report, GateCheckKind.Slice, "accuracy", "B").Status);
        var c = Check(report, GateCheckKind.Slice, "support", "C");
        Assert.Equal(GateCheckStatus.InsufficientSupport, c.Status);
        Assert.Null(c.Passed);
        Assert.Equal(10, c.Support);
        Assert.Contains("fewer than the minimum support of 20", c.Reason, StringComparison.Ordinal);
        Assert.StartsWith("segment=A: accuracy regressed by 0.04", Assert.Single(report.Reasons), StringComparison.Ordinal);

        // Raising the support threshold above A's size leaves only the overall check: pass.
        var loose = GateEvaluator.Evaluate(inputs with { Policy = policy with { Slices = [new SliceRule { Column = "segment", MinSupport = 101 }] } });
        Assert.Equal(GateDecision.Pass, loose.Decision);
        Assert.Contains("3 slice value(s) had too few rows", Assert.Single(loose.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_slice_column_fails()
    {
        var (y, champion, challenger) = BinaryWithErrors(20, [], []);
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy
        {
            Metrics = [Higher("accuracy")],
            Slices = [new SliceRule { Column = "region" }],
        }));
        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Contains("slice column 'region' was not provided", Assert.Single(report.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Slice_rules_can_be_limited_to_some_metrics()
    {
        var (y, champion, challenger) = BinaryWithErrors(200, Enumerable.Range(100, 12), [0, 1, 2, 3]);
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy
        {
            Metrics = [Higher("accuracy", maxRegression: 0.01), Lower("brier_score", maxRegression: 1)],
            Slices = [new SliceRule { Column = "segment", MinSupport = 20, Metrics = ["brier_score"] }],
        }) with { SliceColumns = new Dictionary<string, IReadOnlyList<string>> { ["segment"] = Segments } });
        Assert.Equal(GateDecision.Pass, report.Decision);
        Assert.DoesNotContain(report.Checks, c => c.Kind == GateCheckKind.Slice && c.Name == "accuracy");
        Assert.Equal(GateCheckStatus.Passed, Check(report, GateCheckKind.Slice, "brier_score", "A").Status);
    }

    [Fact]
    public void Fairness_limits_apply_to_the_challenger()
    {
        // Group g1: the challenger predicts positive for every row; group g0: as the labels.
        var n = 200;
        var y = Enumerable.Range(0, n).Select(i => (double)(i % 2)).ToArray();
        var groups = Enumerable.Range(0, n).Select(i => i < 100 ? "g0" : "g1").ToArray();
        var champion = y.Select(v => v == 1 ? 0.9 : 0.1).ToArray();
        var challenger = y.Select((v, i) => i >= 100 ? 0.95 : v == 1 ? 0.9 : 0.1).ToArray();
        GateInputs Make(params FairnessLimit[] limits) => Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { Fairness = limits }) with
        {
            SensitiveColumns = new Dictionary<string, IReadOnlyList<string>> { ["sex"] = groups },
        };

        var strict = GateEvaluator.Evaluate(Make(new FairnessLimit { Column = "sex", Metric = "demographic_parity_difference", Max = 0.1 }));
        Assert.Equal(GateDecision.Fail, strict.Decision);
        var dpd = Check(strict, GateCheckKind.Fairness, "demographic_parity_difference");
        Assert.Equal(0.5, dpd.ChallengerValue!.Value, 12); // selection rates 0.5 vs 1.0
        Assert.Equal(0, dpd.ChampionValue!.Value, 12);
        Assert.Equal(0.1, dpd.Bound);
        Assert.Equal("sex: demographic_parity_difference 0.5 is above the maximum 0.1", Assert.Single(strict.Reasons));

        var lenient = GateEvaluator.Evaluate(Make(
            new FairnessLimit { Column = "sex", Metric = "demographic_parity_difference", Max = 0.6 },
            new FairnessLimit { Column = "sex", Metric = "worst_group_auc", Min = 0.5 },
            new FairnessLimit { Column = "sex", Metric = "equal_opportunity_difference", Max = 0.01 }));
        Assert.Equal(GateDecision.Pass, lenient.Decision);

        // In g1 the challenger gives every row the same score: AUC 0.5 there.
        var auc = GateEvaluator.Evaluate(Make(new FairnessLimit { Column = "sex", Metric = "worst_group_auc", Min = 0.9 }));
        Assert.Equal("sex: worst_group_auc 0.5 is below the minimum 0.9", Assert.Single(auc.Reasons));

        var unknown = GateEvaluator.Evaluate(Make(new FairnessLimit { Column = "sex", Metric = "mae_difference", Max = 1 }));
        Assert.Contains("unknown fairness figure 'mae_difference' for binary models", Assert.Single(unknown.Reasons), StringComparison.Ordinal);
        var missing = GateEvaluator.Evaluate(Make(new FairnessLimit { Column = "race", Metric = "worst_group_auc", Min = 0.5 }));
        Assert.Contains("sensitive column 'race' was not provided", Assert.Single(missing.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Latency_percentiles_interpolate_and_meet_the_budget()
    {
        var (y, champion, challenger) = BinaryWithErrors(20, [], []);
        var latencies = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToArray();
        var inputs = Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { Latency = new LatencyBudget { P50Ms = 60, P95Ms = 96, P99Ms = 99 } }) with
        {
            ChallengerLatenciesMs = latencies,
            ChampionLatenciesMs = [.. latencies.Select(v => v / 2)],
        };
        var report = GateEvaluator.Evaluate(inputs);
        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Equal(50.5, Check(report, GateCheckKind.Latency, "p50_ms").ChallengerValue!.Value, 9);
        var p95 = Check(report, GateCheckKind.Latency, "p95_ms");
        Assert.Equal(95.05, p95.ChallengerValue!.Value, 9);
        Assert.Equal(47.525, p95.ChampionValue!.Value, 9);
        Assert.Equal(GateCheckStatus.Passed, p95.Status);
        var p99 = Check(report, GateCheckKind.Latency, "p99_ms");
        Assert.Equal(99.01, p99.ChallengerValue!.Value, 9);
        Assert.Equal("p99_ms 99.01 ms is over the budget of 99 ms", Assert.Single(report.Reasons));

        var none = GateEvaluator.Evaluate(inputs with { ChallengerLatenciesMs = null });
        Assert.Equal(3, none.Reasons.Count);
        Assert.All(none.Reasons, r => Assert.Contains("no latencies were measured", r, StringComparison.Ordinal));
    }
}
