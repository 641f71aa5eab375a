using Keel.Application.Alerts;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Keel.Storage.Sqlite;

namespace Keel.Application.Tests.Alerts;

public sealed class AlertRuleValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-alert-rules").FullName;
    private readonly SqliteAlertStore _store;
    private readonly AlertService _service;

    public AlertRuleValidationTests()
    {
        _store = new SqliteAlertStore(Path.Combine(_dir, "keel.db"));
        _service = new AlertService(_store);
    }

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_rule_takes_its_defaults_and_canonical_window()
    {
        var stored = Assert.Single(await _service.ApplyAsync([new AlertRuleRequest { Name = "errors", Endpoint = "churn", Metric = "error_rate", Window = "60m", Warning = 0.05 }], "alice"));
        Assert.Equal(("1h", AlertDirection.Above, 1L, 1, true, 1L, "alice"), (stored.Window, stored.Direction, stored.MinSamples, stored.For, stored.Enabled, stored.Version, stored.UpdatedBy));
    }

    [Theory]
    [InlineData("name", "bad name!", "invalid name 'bad name!'")]
    [InlineData("endpoint", "", "missing 'endpoint'")]
    [InlineData("metric", "latency_p90", "Invalid value 'latency_p90' for 'metric'")]
    [InlineData("window", "7m", "Invalid value '7m' for 'window'")]
    [InlineData("direction", "sideways", "invalid direction 'sideways'")]
    [InlineData("thresholds", "none", "no threshold")]
    [InlineData("order", "above", "thresholds out of order (warning 0.5, critical 0.1)")]
    [InlineData("order", "below", "thresholds out of order (warning 0.1, critical 0.5)")]
    [InlineData("for", "0", "invalid for 0")]
    [InlineData("min_samples", "-1", "invalid min_samples -1")]
    [InlineData("webhooks", "ftp://x/hook", "invalid webhook 'ftp://x/hook'")]
    [InlineData("webhooks", "/relative", "invalid webhook '/relative'")]
    [InlineData("webhooks", "twice", "listed twice")]
    public async Task A_bad_rule_is_refused_naming_the_rule_and_the_field_and_nothing_is_stored(string field, string value, string expected)
    {
        var bad = new AlertRuleRequest { Name = "bad-rule", Endpoint = "churn", Metric = "error_rate", Window = "5m", Warning = 0.1, Critical = 0.5 };
        switch (field)
        {
            case "name": bad.Name = value; break;
            case "endpoint": bad.Endpoint = value; break;
            case "metric": bad.Metric = value; break;
            case "window": bad.Window = value; break;
            case "direction": bad.Direction = value; break;
            case "thresholds": bad.Warning = null; bad.Critical = null; break;
            case "order" when value == "above": bad.Warning = 0.5; bad.Critical = 0.1; break;
            case "order": bad.Direction = "below"; break;
            case "for": bad.For = 0; break;
            case "min_samples": bad.MinSamples = -1; break;
            case "webhooks" when value == "twice": bad.Webhooks = ["http://x/h", "http://x/h"]; break;
            case "webhooks": bad.Webhooks = [value]; break;
        }

        var good = new AlertRuleRequest { Name = "good-rule", Endpoint = "churn", Metric = "traffic", Window = "1h", Warning = 10, Direction = "below" };
        var e = await Assert.ThrowsAsync<KeelException>(() => _service.ApplyAsync([good, bad], null));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        if (field != "name")
        {
            Assert.Contains("'bad-rule'", e.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await _store.ListRulesAsync(null));
    }

    [Fact]
    public async Task An_update_from_a_stale_version_is_a_conflict_carrying_the_stored_rule()
    {
        var rule = new AlertRuleRequest { Endpoint = "churn", Metric = "error_rate", Window = "5m", Warning = 0.1 };
        var v1 = await _service.PutAsync("errors", rule, "alice");
        rule.Warning = 0.2;
        rule.ExpectedVersion = v1.Version;
        var v2 = await _service.PutAsync("errors", rule, "bob");
        Assert.Equal((2L, 0.2), (v2.Version, v2.Warning));

        rule.Warning = 0.3;
        var e = await Assert.ThrowsAsync<AlertRuleConflictException>(() => _service.PutAsync("errors", rule, "carol"));
        Assert.Equal((ErrorCode.ResourceConflict, 2L, 0.2), (e.Code, e.Current!.Version, e.Current.Warning));
        rule.ExpectedVersion = 0;
        Assert.Equal(2L, (await Assert.ThrowsAsync<AlertRuleConflictException>(() => _service.PutAsync("errors", rule, "carol"))).Current!.Version);
        Assert.Equal(0.2, (await _service.GetRuleAsync("errors")).Warning);
    }

    [Fact]
    public async Task Bad_list_arguments_and_acks_are_refused()
    {
        Assert.Contains("'state'", (await Assert.ThrowsAsync<KeelException>(() => _service.ListAlertsAsync(null, "burning", null, null))).Message, StringComparison.Ordinal);
        Assert.Contains("'max_results'", (await Assert.ThrowsAsync<KeelException>(() => _service.ListAlertsAsync(null, null, null, 0))).Message, StringComparison.Ordinal);
        Assert.Contains("'alert_id'", (await Assert.ThrowsAsync<KeelException>(() => _service.AcknowledgeAsync("x1", "bob", null))).Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, (await Assert.ThrowsAsync<KeelException>(() => _service.AcknowledgeAsync("41", "bob", null))).Code);
        Assert.Contains("'by'", (await Assert.ThrowsAsync<KeelException>(() => _service.AcknowledgeAsync("41", "bo\nb", null))).Message, StringComparison.Ordinal);
    }
}
