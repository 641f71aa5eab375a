using System.Text.Json;
using Keel.Compute.Gates;
using Xunit;
using static Keel.Compute.Tests.Gates.GateTestData;

namespace Keel.Compute.Tests.Gates;

/// <summary>The report's and the policy's JSON: stable snake_case names, no NaN, a round trip.</summary>
public sealed class GateReportJsonTests
{
    [Fact]
    public void Report_serialises_with_snake_case_names_and_round_trips()
    {
        var (y, champion, challenger) = BinaryWithErrors(200, Enumerable.Range(0, 30), Enumerable.Range(25, 5));
        var inputs = Inputs(GateTask.Binary, y, champion, challenger, new GatePolicy
        {
            Metrics = [Higher("accuracy", bound: 0.5, maxRegression: 0.01), Lower("log_loss", maxRelative: 0.1)],
            Latency = new LatencyBudget { P95Ms = 10 },
        }) with { ChallengerLatenciesMs = [1, 2, 3] };
        var report = GateEvaluator.Evaluate(inputs);
        var json = report.ToJson();
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(
            ["decision", "task", "rows", "first_model", "first_model_policy", "alpha", "checks", "reasons", "challenger_metrics", "champion_metrics"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("pass", root.GetProperty("decision").GetString());
        Assert.Equal("binary", root.GetProperty("task").GetString());
        Assert.Equal("pass", root.GetProperty("first_model_policy").GetString());
        var acc = root.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("name").GetString() == "accuracy");
        Assert.Equal("metric", acc.GetProperty("kind").GetString());
        Assert.Equal("passed", acc.GetProperty("status").GetString());
        Assert.True(acc.GetProperty("passed").GetBoolean());
        Assert.Equal("higher_is_better", acc.GetProperty("direction").GetString());
        foreach (var name in new[] { "champion_value", "challenger_value", "delta", "relative_delta", "bound", "allowed_regression", "support", "reason" })
        {
            Assert.True(acc.TryGetProperty(name, out _), name);
        }

        var sig = acc.GetProperty("significance");
        Assert.Equal("mcnemar_chi2", sig.GetProperty("test").GetString());
        Assert.Equal("none", sig.GetProperty("requirement").GetString());
        foreach (var name in new[] { "p_value", "alpha", "significant", "statistic", "challenger_only_correct", "champion_only_correct" })
        {
            Assert.True(sig.TryGetProperty(name, out _), name);
        }

        var loss = root.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("name").GetString() == "log_loss").GetProperty("significance");
        foreach (var name in new[] { "ci_lower", "ci_upper", "mean_difference", "confidence", "resamples", "seed" })
        {
            Assert.True(loss.TryGetProperty(name, out _), name);
        }

        var back = GateReport.FromJson(json);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void Policy_reads_from_snake_case_json()
    {
        const string json = """
        {
          "metrics": [
            { "name": "auc", "direction": "higher_is_better", "bound": 0.8, "max_regression": 0.01, "significance": "superiority" },
            { "name": "log_loss", "direction": "lower_is_better", "max_relative_regression": 0.05 }
          ],
          "first_model": "require_bounds",
          "missing_champion_metric": "bounds_only",
          "alpha": 0.01,
          "require_significance": true,
          "bootstrap_resamples": 200,
          "bootstrap_seed": 42,
          "slices": [ { "column": "sex", "min_support": 50, "metrics": ["auc"] } ],
          "fairness": [ { "column": "sex", "metric": "demographic_parity_difference", "max": 0.1 } ],
          "latency": { "p95_ms": 20 }
        }
        """;
        var policy = JsonSerializer.Deserialize(json, GateJson.Default.GatePolicy)!;
        Assert.Equal(MetricDirection.HigherIsBetter, policy.Metrics[0].Direction);
        Assert.Equal(SignificanceRequirement.Superiority, policy.Metrics[0].Significance);
        Assert.Equal(0.05, policy.Metrics[1].MaxRelativeRegression);
        Assert.Equal(FirstModelPolicy.RequireBounds, policy.FirstModel);
        Assert.Equal(MissingChampionMetricPolicy.BoundsOnly, policy.MissingChampionMetric);
        Assert.Equal(42UL, policy.BootstrapSeed);
        Assert.Equal(50, policy.Slices[0].MinSupport);
        Assert.Equal(0.1, policy.Fairness[0].Max);
        Assert.Equal(20, policy.Latency!.P95Ms);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{ "metrics": [], "alpah": 0.1 }""", GateJson.Default.GatePolicy));
    }

    [Fact]
    public void Keys_left_out_of_a_policy_keep_their_defaults()
    {
        var policy = JsonSerializer.Deserialize("""{ "slices": [{ "column": "region" }] }""", GateJson.Default.GatePolicy)!;

        var defaults = new GatePolicy();
        Assert.Equal((defaults.Alpha, defaults.BootstrapResamples, defaults.Confidence, defaults.Threshold), (policy.Alpha, policy.BootstrapResamples, policy.Confidence, policy.Threshold));
        Assert.Equal((defaults.FirstModel, defaults.MissingChampionMetric), (policy.FirstModel, policy.MissingChampionMetric));
        Assert.Empty(policy.Metrics);
        Assert.Empty(policy.Fairness);
        Assert.Equal(new SliceRule { Column = "region" }.MinSupport, Assert.Single(policy.Slices).MinSupport);
    }
}
