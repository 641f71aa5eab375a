using Keel.Compute.Gates;
using Keel.Compute.Metrics;
using Xunit;
using static Keel.Compute.Tests.Gates.GateReference;

namespace Keel.Compute.Tests.Gates;

/// <summary>McNemar, DeLong and the paired bootstrap against scipy/scikit-learn reference values.</summary>
public sealed class SignificanceReferenceTests
{
    public static TheoryData<int> McNemarIndexes() => [.. Enumerable.Range(0, Section("mcnemar").GetArrayLength())];

    public static TheoryData<string> DeLongNames() => [.. Names("delong")];

    public static TheoryData<string> BootstrapNames() => [.. Names("bootstrap")];

    [Theory]
    [MemberData(nameof(McNemarIndexes))]
    public void McNemar_matches_scipy(int index)
    {
        var c = Section("mcnemar")[index];
        var b = c.GetProperty("b").GetInt64();
        var cc = c.GetProperty("c").GetInt64();
        var exact = McNemarTest.FromCounts(b, cc, McNemarMethod.Exact);
        Close(c.GetProperty("exact_p").GetDouble(), exact.PValue, $"exact p ({b},{cc})");
        Assert.Equal(c.GetProperty("exact_statistic").GetDouble(), exact.Statistic);
        var chi2 = McNemarTest.FromCounts(b, cc, McNemarMethod.ChiSquare);
        Close(c.GetProperty("chi2_statistic").GetDouble(), chi2.Statistic, $"chi2 statistic ({b},{cc})");
        Close(c.GetProperty("chi2_p").GetDouble(), chi2.PValue, $"chi2 p ({b},{cc})");
        var auto = McNemarTest.FromCounts(b, cc);
        Assert.Equal(c.GetProperty("auto_method").GetString() == "exact" ? McNemarMethod.Exact : McNemarMethod.ChiSquare, auto.Method);
    }

    [Fact]
    public void McNemar_by_hand_b10_c2()
    {
        // P[X ≤ 2] for Binomial(12, 1/2) = (1 + 12 + 66) / 4096; doubled = 158 / 4096.
        var r = McNemarTest.FromCounts(10, 2);
        Assert.Equal(McNemarMethod.Exact, r.Method);
        Assert.Equal(158.0 / 4096, r.PValue, 15);
        Assert.True(r.ChallengerBetter);

        // (|10 − 2| − 1)² / 12 = 49 / 12.
        Assert.Equal(49.0 / 12, McNemarTest.FromCounts(10, 2, McNemarMethod.ChiSquare).Statistic, 15);
    }

    [Fact]
    public void McNemar_counts_discordant_rows_from_correctness()
    {
        bool[] champion = [true, true, false, false, true, false, true];
        bool[] challenger = [true, false, true, true, true, true, false];
        var r = McNemarTest.Compare(champion, challenger);
        Assert.Equal(3, r.ChallengerOnlyCorrect);
        Assert.Equal(2, r.ChampionOnlyCorrect);
        Assert.Equal(McNemarMethod.Exact, r.Method);
        Assert.Equal(1.0, r.PValue);
    }

    [Fact]
    public void McNemar_switches_to_chi2_at_25_discordant_rows()
    {
        Assert.Equal(McNemarMethod.Exact, McNemarTest.FromCounts(20, 4).Method);
        Assert.Equal(McNemarMethod.ChiSquare, McNemarTest.FromCounts(20, 5).Method);
    }

    [Theory]
    [MemberData(nameof(DeLongNames))]
    public void DeLong_fast_matches_the_papers_structural_components(string name)
    {
        var c = Case("delong", name);
        var labels = Bools(c.GetProperty("labels"));
        var champion = Doubles(c.GetProperty("champion"));
        var challenger = Doubles(c.GetProperty("challenger"));
        var r = DeLongTest.Compare(labels, champion, challenger);
        Close(c.GetProperty("champion_auc").GetDouble(), r.ChampionAuc, "champion auc");
        Close(c.GetProperty("challenger_auc").GetDouble(), r.ChallengerAuc, "challenger auc");
        Close(c.GetProperty("difference").GetDouble(), r.Difference, "difference");
        Close(c.GetProperty("champion_variance").GetDouble(), r.ChampionVariance, "champion variance");
        Close(c.GetProperty("challenger_variance").GetDouble(), r.ChallengerVariance, "challenger variance");
        Close(c.GetProperty("covariance").GetDouble(), r.Covariance, "covariance");
        Close(c.GetProperty("standard_error").GetDouble(), r.StandardError, "standard error");
        Close(c.GetProperty("p_value").GetDouble(), r.PValue, "p");
        if (c.GetProperty("z").ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            Assert.True(double.IsInfinity(r.Z));
        }
        else
        {
            Close(c.GetProperty("z").GetDouble(), r.Z, "z");
        }

        // The existing AUC (trapezoid over the ROC) agrees with the midrank AUC.
        Close(BinaryMetrics.Auc(labels, challenger), r.ChallengerAuc, "BinaryMetrics.Auc", 1e-12);
    }

    [Fact]
    public void DeLong_refuses_a_single_positive()
    {
        var e = Assert.Throws<ArgumentException>(() => DeLongTest.Compare([true, false, false], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1]));
        Assert.Contains("two positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeLong_identical_models_give_p_one()
    {
        double[] s = [0.9, 0.8, 0.3, 0.4, 0.2, 0.7];
        var r = DeLongTest.Compare([true, true, false, false, false, true], s, s);
        Assert.Equal(0, r.Difference);
        Assert.Equal(1, r.PValue);
    }

    [Theory]
    [MemberData(nameof(BootstrapNames))]
    public void Bootstrap_matches_the_same_draws_scored_by_scikit_learn(string name)
    {
        var c = Case("bootstrap", name);
        var metric = c.GetProperty("metric").GetString()!;
        var y = Doubles(c.GetProperty("labels"));
        var a = Doubles(c.GetProperty("champion"));
        var b = Doubles(c.GetProperty("challenger"));
        var direction = c.GetProperty("direction").GetString() == "higher_is_better" ? MetricDirection.HigherIsBetter : MetricDirection.LowerIsBetter;
        var options = new BootstrapOptions
        {
            Resamples = c.GetProperty("resamples").GetInt32(),
            Seed = c.GetProperty("seed").GetUInt64(),
            Confidence = c.GetProperty("confidence").GetDouble(),
            Margin = c.GetProperty("margin").GetDouble(),
        };
        var r = PairedBootstrap.Compare(y.Length, Metric(metric, y, a), Metric(metric, y, b), direction, options);
        Close(c.GetProperty("observed_difference").GetDouble(), r.ObservedDifference, "observed");
        Close(c.GetProperty("mean_difference").GetDouble(), r.MeanDifference, "mean");
        Close(c.GetProperty("ci_lower").GetDouble(), r.CiLower, "ci lower");
        Close(c.GetProperty("ci_upper").GetDouble(), r.CiUpper, "ci upper");
        Assert.Equal(c.GetProperty("p_value").GetDouble(), r.PValue, 12);
        Assert.Equal(c.GetProperty("undefined").GetInt32(), r.Undefined);
    }

    [Fact]
    public void SplitMix64_matches_the_published_sequence()
    {
        var expected = Section("splitmix64");
        var rng = new SplitMix64(expected.GetProperty("seed").GetUInt64());
        foreach (var v in expected.GetProperty("values").EnumerateArray())
        {
            Assert.Equal(v.GetUInt64(), rng.Next());
        }
    }

    [Fact]
    public void Bootstrap_is_reproducible_for_a_seed_and_changes_with_it()
    {
        var y = Enumerable.Range(0, 80).Select(i => (double)(i % 7)).ToArray();
        var a = y.Select((v, i) => v + ((i % 3) - 1)).ToArray();
        var b = y.Select((v, i) => v + (((i % 5) - 2) * 0.5)).ToArray();
        var first = PairedBootstrap.Compare(y.Length, BootstrapMetrics.Mae(y, a), BootstrapMetrics.Mae(y, b), MetricDirection.LowerIsBetter, new BootstrapOptions { Seed = 3 });
        var again = PairedBootstrap.Compare(y.Length, BootstrapMetrics.Mae(y, a), BootstrapMetrics.Mae(y, b), MetricDirection.LowerIsBetter, new BootstrapOptions { Seed = 3 });
        var other = PairedBootstrap.Compare(y.Length, BootstrapMetrics.Mae(y, a), BootstrapMetrics.Mae(y, b), MetricDirection.LowerIsBetter, new BootstrapOptions { Seed = 4 });
        Assert.Equal(first, again);
        Assert.NotEqual(first.MeanDifference, other.MeanDifference);
    }

    [Fact]
    public void Ready_made_metrics_on_all_rows_equal_the_existing_metric_code()
    {
        var rng = new Random(11);
        var n = 257;
        var labels = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.4).ToArray();
        var probs = labels.Select(l => Math.Round(Math.Clamp((l ? 0.65 : 0.35) + ((rng.NextDouble() - 0.5) * 0.8), 0, 1), 2)).ToArray();
        var all = Enumerable.Range(0, n).ToArray();
        var binary = BinaryMetrics.Compute(labels, probs);
        Close(binary["auc"], BootstrapMetrics.Auc(labels, probs)(all), "auc", 1e-12);
        Close(binary["log_loss"], BootstrapMetrics.LogLoss(labels, probs)(all), "log_loss", 1e-12);
        var correct = labels.Select((l, i) => (probs[i] >= 0.5) == l).ToArray();
        Close(binary["accuracy"], BootstrapMetrics.Accuracy(correct)(all), "accuracy", 1e-12);

        var actual = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10).ToArray();
        var predicted = actual.Select(v => v + rng.NextDouble() - 0.5).ToArray();
        var regression = RegressionMetrics.Compute(actual, predicted);
        Close(regression["rmse"], BootstrapMetrics.Rmse(actual, predicted)(all), "rmse", 1e-12);
        Close(regression["mae"], BootstrapMetrics.Mae(actual, predicted)(all), "mae", 1e-12);

        int[] classes = [0, 2, 1, 1, 0];
        double[] mp = [0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.2, 0.5, 0.3, 0.0, 1.0, 0.0, 0.6, 0.3, 0.1];
        var multiclass = MulticlassMetrics.Compute(classes, mp, ["a", "b", "c"]);
        Close(multiclass["log_loss"], BootstrapMetrics.LogLoss(classes, mp, 3)(all.AsSpan(0, 5)), "multiclass log_loss", 1e-12);
    }

    [Fact]
    public void Bootstrap_with_ready_made_metrics_does_not_allocate_per_resample()
    {
        var rng = new Random(5);
        var n = 2000;
        var labels = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.5).ToArray();
        var a = labels.Select(l => (l ? 0.6 : 0.4) + ((rng.NextDouble() - 0.5) * 0.6)).ToArray();
        var b = labels.Select(l => (l ? 0.65 : 0.35) + ((rng.NextDouble() - 0.5) * 0.6)).ToArray();
        var champion = BootstrapMetrics.Auc(labels, a);
        var challenger = BootstrapMetrics.Auc(labels, b);
        PairedBootstrap.Compare(n, champion, challenger, MetricDirection.HigherIsBetter, new BootstrapOptions { Resamples = 10 });

        long Allocated(int resamples)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            PairedBootstrap.Compare(n, champion, challenger, MetricDirection.HigherIsBetter, new BootstrapOptions { Resamples = resamples });
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // 190 more resamples cost only their 190 slots in the differences array (8 bytes each).
        var extra = Allocated(200) - Allocated(10);
        Assert.True(extra <= (190 * sizeof(double)) + 256, $"{extra} bytes for 190 more resamples");
    }

    private static RowMetric Metric(string metric, double[] y, double[] p)
    {
        var labels = y.Select(v => v != 0).ToArray();
        return metric switch
        {
            "rmse" => BootstrapMetrics.Rmse(y, p),
            "mae" => BootstrapMetrics.Mae(y, p),
            "accuracy" => BootstrapMetrics.Accuracy(labels.Select((l, i) => (p[i] >= 0.5) == l).ToArray()),
            "log_loss" => BootstrapMetrics.LogLoss(labels, p),
            "auc" => BootstrapMetrics.Auc(labels, p),
            _ => throw new ArgumentException(metric),
        };
    }
}
