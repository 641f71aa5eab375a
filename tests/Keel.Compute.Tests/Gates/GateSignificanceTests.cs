using Keel.Compute.Gates;
using Xunit;
using static Keel.Compute.Tests.Gates.GateTestData;

namespace Keel.Compute.Tests.Gates;

/// <summary>A challenger is not promoted on noise: significance on paired predictions.</summary>
public sealed class GateSignificanceTests
{
    [Fact]
    public void Three_rows_better_out_of_500_is_noise_under_mcnemar()
    {
        var (y, champion, challenger) = BinaryWithErrors(500, Enumerable.Range(0, 40), Enumerable.Range(3, 37));
        var policy = new GatePolicy { RequireSignificance = true, Metrics = [Higher("accuracy")] };
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, policy));

        Assert.Equal(GateDecision.Fail, report.Decision);
        var acc = Check(report, GateCheckKind.Metric, "accuracy");
        Assert.Equal(0.006, acc.Delta!.Value, 12);
        Assert.Equal("mcnemar_exact", acc.Significance!.Test);
        Assert.Equal(3, acc.Significance.ChallengerOnlyCorrect);
        Assert.Equal(0, acc.Significance.ChampionOnlyCorrect);
        Assert.Equal(0.25, acc.Significance.PValue, 12);
        Assert.False(acc.Significance.Significant);
        Assert.Contains("is better (+0.006) but not significantly: mcnemar_exact p=0.25", acc.Reason, StringComparison.Ordinal);

        // Without the requirement it passes, and the report still says the gain is not significant.
        var informative = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, policy with { RequireSignificance = false }));
        Assert.Equal(GateDecision.Pass, informative.Decision);
        Assert.Contains("better but not significantly (mcnemar_exact p=0.25)", Check(informative, GateCheckKind.Metric, "accuracy").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clearly_better_classifier_passes_mcnemar()
    {
        var (y, champion, challenger) = BinaryWithErrors(500, Enumerable.Range(0, 60), Enumerable.Range(55, 10));
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { RequireSignificance = true, Metrics = [Higher("accuracy")] }));
        Assert.Equal(GateDecision.Pass, report.Decision);
        var sig = Check(report, GateCheckKind.Metric, "accuracy").Significance!;
        Assert.Equal("mcnemar_chi2", sig.Test);
        Assert.Equal(55, sig.ChallengerOnlyCorrect);
        Assert.Equal(5, sig.ChampionOnlyCorrect);
        Assert.True(sig.Significant);
        Assert.True(sig.PValue < 1e-9);
    }

    [Fact]
    public void A_worse_classifier_is_never_significantly_better()
    {
        var (y, champion, challenger) = BinaryWithErrors(500, Enumerable.Range(55, 10), Enumerable.Range(0, 60));
        var report = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy { Metrics = [Higher("accuracy", maxRegression: 1, significance: SignificanceRequirement.Superiority)] }));
        Assert.Equal(GateDecision.Fail, report.Decision);
        Assert.Contains("is not better than the champion", Assert.Single(report.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Delong_decides_auc()
    {
        var policy = new GatePolicy { RequireSignificance = true, Metrics = [Higher("auc")] };
        var (y, same, sameToo) = BinaryScores(400, 1.5, 1.6, 21);
        var noise = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y, same, sameToo, policy));
        var auc = Check(noise, GateCheckKind.Metric, "auc");
        Assert.Equal("delong", auc.Significance!.Test);
        Assert.True(auc.Significance.PValue > 0.05);
        Assert.Equal(GateDecision.Fail, noise.Decision);

        var (y2, weak, strong) = BinaryScores(400, 0.5, 3.0, 22);
        var clear = GateEvaluator.Evaluate(Inputs(GateTask.Binary, y2, weak, strong, policy));
        Assert.Equal(GateDecision.Pass, clear.Decision);
        var sig = Check(clear, GateCheckKind.Metric, "auc").Significance!;
        Assert.True(sig.PValue < 1e-6);
        Assert.True(sig.Statistic > 0);
        Assert.NotNull(sig.StandardError);
    }

    [Fact]
    public void Bootstrap_decides_other_metrics()
    {
        var policy = new GatePolicy { RequireSignificance = true, BootstrapSeed = 9, Metrics = [Lower("rmse"), Lower("mae")] };
        var (y, a, b) = Regression(300, 1.0, 0.98, 5);
        var noise = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, a, b, policy));
        Assert.Equal(GateDecision.Fail, noise.Decision);
        var rmse = Check(noise, GateCheckKind.Metric, "rmse").Significance!;
        Assert.Equal("bootstrap", rmse.Test);
        Assert.Equal(1000, rmse.Resamples);
        Assert.Equal(9UL, rmse.Seed);
        Assert.True(rmse.CiLower < 0 && rmse.CiUpper > 0);

        var (y2, worse, better) = Regression(300, 1.0, 0.6, 6);
        var clear = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y2, worse, better, policy));
        Assert.Equal(GateDecision.Pass, clear.Decision);
        var sig = Check(clear, GateCheckKind.Metric, "rmse").Significance!;
        Assert.True(sig.CiUpper < 0);
        Assert.True(sig.PValue < 0.05);

        // Same seed, same report.
        Assert.Equal(clear.ToJson(), GateEvaluator.Evaluate(Inputs(GateTask.Regression, y2, worse, better, policy)).ToJson());
    }

    [Fact]
    public void Non_inferiority_within_the_allowance()
    {
        // The challenger's residuals are the champion's, 1% larger: RMSE 1% worse on every resample.
        // Non-inferiority within 0.1 is shown; a 0.1% allowance is not met.
        var (y, a, _) = Regression(400, 1.0, 1.0, 8);
        var b = a.Select((p, i) => y[i] + (1.01 * (p - y[i]))).ToArray();
        var ok = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, a, b, new GatePolicy { Metrics = [Lower("rmse", maxRegression: 0.1, significance: SignificanceRequirement.NonInferiority)] }));
        Assert.Equal(GateDecision.Pass, ok.Decision);
        var sig = Check(ok, GateCheckKind.Metric, "rmse").Significance!;
        Assert.Equal(SignificanceRequirement.NonInferiority, sig.Requirement);
        Assert.Equal(0.1, sig.Margin);
        Assert.Equal(0, sig.PValue);

        // The same residuals on other rows (shifted by one): equal RMSE, but unpaired errors, so the
        // bootstrap cannot exclude a 0.1 regression on 100 rows.
        var (y3, c, _) = Regression(100, 1.0, 1.0, 8);
        var d = y3.Select((v, i) => v + (c[(i + 1) % 100] - y3[(i + 1) % 100])).ToArray();
        var unsure = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y3, c, d, new GatePolicy { Metrics = [Lower("rmse", maxRegression: 0.1, significance: SignificanceRequirement.NonInferiority)] }));
        Assert.Contains("is not shown to be within 0.1 of the champion", Assert.Single(unsure.Reasons), StringComparison.Ordinal);

        var tight = GateEvaluator.Evaluate(Inputs(GateTask.Regression, y, a, b, new GatePolicy
        {
            Metrics = [Lower("rmse", maxRelative: 0.001, significance: SignificanceRequirement.NonInferiority)],
        }));
        Assert.Equal(GateDecision.Fail, tight.Decision);
    }

    [Fact]
    public void Slices_report_significance_but_require_it_only_when_asked()
    {
        var (y, champion, challenger) = BinaryWithErrors(200, [0, 2, 4], []);
        var segments = Enumerable.Range(0, 200).Select(i => i < 100 ? "A" : "B").ToArray();
        var policy = new GatePolicy
        {
            Metrics = [Higher("accuracy", significance: SignificanceRequirement.None)],
            Slices = [new SliceRule { Column = "s", MinSupport = 10 }],
        };
        var inputs = Inputs(GateTask.Binary, y, champion, challenger, policy) with { SliceColumns = new Dictionary<string, IReadOnlyList<string>> { ["s"] = segments } };
        var report = GateEvaluator.Evaluate(inputs);
        Assert.Equal(GateDecision.Pass, report.Decision);
        Assert.Equal(SignificanceRequirement.None, Check(report, GateCheckKind.Slice, "accuracy", "A").Significance!.Requirement);

        var strict = GateEvaluator.Evaluate(inputs with
        {
            Policy = policy with
            {
                Metrics = [Higher("accuracy", significance: SignificanceRequirement.Superiority)],
                Slices = [new SliceRule { Column = "s", MinSupport = 10, RequireSignificance = true }],
            },
        });
        Assert.Equal(GateDecision.Fail, strict.Decision);
        Assert.Equal(GateCheckStatus.Failed, Check(strict, GateCheckKind.Slice, "accuracy", "A").Status);
    }
}
