using Keel.Cli.Commands.Alerts;
using Keel.Core.Errors;
using Xunit;

namespace Keel.Cli.Tests;

public sealed class AlertRulesFileTests
{
    [Fact]
    public void A_rules_file_reads_every_key_with_its_type()
    {
        var rules = AlertRulesFile.Parse(
            """
            rules:
              - name: churn-errors
                endpoint: churn
                metric: error_rate
                window: 5m
                warning: 0.02
                critical: 1e-1
                direction: above
                min_samples: 200
                for: 3
                webhooks: [https://hooks.example.com/keel, "http://127.0.0.1:9000/x"]
                enabled: false
                secret: s3cret
              - name: churn-accuracy
                endpoint: churn
                metric: accuracy
                window: 1d
                warning: 0.9
                direction: below
            """,
            "rules.yaml");
        Assert.Equal(2, rules.Count);
        var r = rules[0];
        Assert.Equal(
            ("churn-errors", "churn", "error_rate", "5m", (double?)0.02, (double?)0.1, "above", (long?)200, (long?)3, (bool?)false, "s3cret"),
            (r.Name, r.Endpoint, r.Metric, r.Window, r.Warning, r.Critical, r.Direction, r.MinSamples, r.For, r.Enabled, r.Secret));
        Assert.Equal(["https://hooks.example.com/keel", "http://127.0.0.1:9000/x"], r.Webhooks!);
        Assert.Equal(("below", (double?)null), (rules[1].Direction, rules[1].Critical));
    }

    [Fact]
    public void A_list_or_a_single_rule_is_accepted_too()
    {
        Assert.Single(AlertRulesFile.Parse("name: a\nendpoint: e\nmetric: traffic\nwindow: 1h\nwarning: 5\n", "f"));
        Assert.Equal(2, AlertRulesFile.Parse("- {name: a}\n- {name: b}\n", "f").Count);
    }

    [Theory]
    [InlineData("rules:\n  - name: a\n    threshold: 3\n", "rule 'a': unknown key 'threshold'")]
    [InlineData("rules:\n  - name: a\n    warning: high\n", "rule 'a': 'warning' must be a number, not 'high'")]
    [InlineData("rules:\n  - name: a\n    for: 2.5\n", "rule 'a': 'for' must be a whole number")]
    [InlineData("rules:\n  - name: a\n    enabled: yes\n", "rule 'a': 'enabled' must be true or false")]
    [InlineData("rules:\n  - name: a\n    webhooks: http://x\n", "rule 'a': 'webhooks' must be a list")]
    [InlineData("rules:\n  - [1, 2]\n", "rule #1 is not a mapping")]
    [InlineData("rules: []\n", "it holds no rules")]
    [InlineData("rules: [{name: a}]\nextra: 1\n", "no other top-level key")]
    [InlineData("rules: [{name: a}\n", "not valid YAML")]
    [InlineData("42\n", "expected a mapping")]
    public void A_bad_file_is_refused_naming_the_rule_and_the_key(string yaml, string expected)
    {
        var e = Assert.Throws<KeelException>(() => AlertRulesFile.Parse(yaml, "rules.yaml"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("rules.yaml", e.Message, StringComparison.Ordinal);
    }
}
