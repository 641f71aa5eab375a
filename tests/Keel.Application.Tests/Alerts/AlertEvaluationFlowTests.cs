using System.Net;
using System.Net.Sockets;
using Keel.Application.Alerts;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Keel.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Application.Tests.Alerts;

/// <summary>Evaluation passes over the real SQLite store with window figures from a fake monitoring store, and webhook delivery to a real local HTTP listener.</summary>
public sealed class AlertEvaluationFlowTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-alert-flow").FullName;
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly FakeMonitoringMetrics _metrics = new();
    private readonly SqliteAlertStore _store;
    private readonly List<AlertEvent> _observed = [];
    private readonly AlertService _service;

    public AlertEvaluationFlowTests()
    {
        _store = new SqliteAlertStore(Path.Combine(_dir, "keel.db"), _clock);
        _service = new AlertService(_store, _store, _metrics, _clock, _observed.Add);
    }

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task An_alert_goes_pending_firing_critical_resolved_with_one_event_per_change()
    {
        await _service.ApplyAsync([new AlertRuleRequest { Name = "errors", Endpoint = "churn", Metric = "error_rate", Window = "5m", Warning = 0.1, Critical = 0.5, For = 2 }], "alice");
        var states = new List<string>();
        foreach (var value in new[] { 0.01, 0.2, 0.2, 0.7, 0.7, 0.02 })
        {
            await NextWindowAsync(value);
            var pass = await _service.EvaluateAsync(null);
            states.AddRange(pass.Events.Select(e => $"{(e.From is { } f ? AlertStateTransitions.Name(f) : "-")}>{AlertStateTransitions.Name(e.To)}/{AlertStateTransitions.Name(e.Severity)}"));
            // The same windows again: nothing more.
            Assert.Empty((await _service.EvaluateAsync(null)).Events);
        }

        Assert.Equal(["->pending/warning", "pending>firing/warning", "firing>firing/critical", "firing>resolved/critical"], states);
        var events = await _store.ListEventsAsync(0, 100, null);
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Sequence));
        Assert.Equal(4, _observed.Count);
        var alert = Assert.Single(await _service.ListAlertsAsync("churn", null, null, null));
        Assert.Equal((AlertState.Resolved, 0.02), (alert.State, alert.Value));
        Assert.NotNull(alert.FiringAt);
        Assert.NotNull(alert.ResolvedAt);
        Assert.Equal(events[^1].WindowStart, alert.WindowStart);

        // A new breach opens a new alert; acknowledging it records who, not a state change.
        await NextWindowAsync(0.3);
        var opened = Assert.Single((await _service.EvaluateAsync(null)).Events);
        Assert.NotEqual(alert.Id, opened.AlertId);
        var acked = await _service.AcknowledgeAsync(opened.AlertId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, "bob");
        Assert.Equal(("bob", AlertState.Pending), (acked.AcknowledgedBy, acked.State));
        Assert.Equal(5, (await _store.ListEventsAsync(0, 100, null)).Count);
        Assert.Equal(2, (await _service.ListAlertsAsync(null, null, null, null)).Count);
        Assert.Single(await _service.ListAlertsAsync(null, "open", null, null));
    }

    [Fact]
    public async Task Disabled_rules_are_not_evaluated_and_deleting_a_rule_resolves_its_alert()
    {
        await _service.ApplyAsync([new AlertRuleRequest { Name = "slow", Endpoint = "churn", Metric = "latency_p99", Window = "5m", Critical = 100, Enabled = false }], null);
        await NextWindowAsync(0, latency: 500);
        Assert.Equal(0, (await _service.EvaluateAsync(null)).RulesEvaluated);

        await _service.ApplyAsync([new AlertRuleRequest { Name = "slow", Endpoint = "churn", Metric = "latency_p99", Window = "5m", Critical = 100 }], null);
        var fired = Assert.Single((await _service.EvaluateAsync(null)).Events);
        Assert.Equal(AlertState.Firing, fired.To);

        await _service.DeleteRuleAsync("slow", "alice");
        var alert = (await _store.FindAlertAsync(fired.AlertId))!;
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal("the rule was deleted", (await _store.ListEventsAsync(fired.Sequence, 10, null)).Single().Reason);
    }

    [Fact]
    public async Task Webhooks_are_signed_retried_after_a_500_and_logged()
    {
        using var receiver = new Receiver(failFirst: 1);
        var options = new AlertOptions { WebhookSecret = "s3cret", MaxAttempts = 3, BackoffBase = TimeSpan.FromSeconds(10) };
        using var http = new HttpClient();
        var deliverer = new WebhookDeliverer(_store, http, options, _clock);
        await _service.ApplyAsync([new AlertRuleRequest { Name = "errors", Endpoint = "churn", Metric = "error_rate", Window = "5m", Warning = 0.1, Webhooks = [receiver.Url] }], null);
        await NextWindowAsync(0.4);
        var fired = Assert.Single((await _service.EvaluateAsync(null)).Events);

        Assert.Equal(1, await deliverer.DeliverDueAsync(null));
        // Not due again until the backoff has passed.
        Assert.Equal(0, await deliverer.DeliverDueAsync(null));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await deliverer.DeliverDueAsync(null));
        Assert.Equal(0, await deliverer.DeliverDueAsync(null));

        Assert.Equal(2, receiver.Requests.Count);
        foreach (var (body, headers) in receiver.Requests)
        {
            Assert.True(WebhookSignature.Verify("s3cret", body, headers["X-Keel-Signature-256"]));
            Assert.Equal("alert-event-" + fired.Sequence, headers["X-Keel-Event-Id"]);
        }

        Assert.Equal(receiver.Requests[0].Body, receiver.Requests[1].Body);
        var payload = System.Text.Json.JsonSerializer.Deserialize(receiver.Requests[0].Body, AlertJson.Default.AlertWebhookPayload)!;
        Assert.Equal(("errors", "churn", "error_rate", "5m", 0.4, 0.1, "warning", "firing", fired.AlertId), (payload.Rule, payload.Endpoint, payload.Metric, payload.Window, payload.Value, payload.Threshold, payload.Severity, payload.State, payload.AlertId));
        Assert.Equal("2026-01-01T00:00:00.000Z", payload.WindowStart);

        var log = await _store.ListDeliveriesAsync(fired.AlertId);
        Assert.Equal([(1, (int?)500, "retrying"), (2, (int?)200, "delivered")], log.Select(d => (d.Attempt, d.StatusCode, d.Outcome)));
        Assert.Contains("500", log[0].Error, StringComparison.Ordinal);
        Assert.Null(log[1].Error);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_well_is_given_up_after_the_last_attempt()
    {
        using var receiver = new Receiver(failFirst: int.MaxValue);
        using var http = new HttpClient();
        var deliverer = new WebhookDeliverer(_store, http, new AlertOptions { MaxAttempts = 2, BackoffBase = TimeSpan.FromSeconds(1) }, _clock);
        await _service.ApplyAsync([new AlertRuleRequest { Name = "errors", Endpoint = "churn", Metric = "error_rate", Window = "5m", Warning = 0.1, Webhooks = [receiver.Url] }], null);
        await NextWindowAsync(0.4);
        var fired = Assert.Single((await _service.EvaluateAsync(null)).Events);
        await deliverer.DeliverDueAsync(null);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await deliverer.DeliverDueAsync(null);
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await deliverer.DeliverDueAsync(null));
        Assert.Equal(["retrying", "failed"], (await _store.ListDeliveriesAsync(fired.AlertId)).Select(d => d.Outcome));
        // No secret anywhere: the body goes unsigned.
        Assert.False(receiver.Requests[0].Headers.AllKeys.Contains("X-Keel-Signature-256"));
    }

    // Windows are added one at a time; the clock moves to the end of the newest.
    private int _windows;

    private Task NextWindowAsync(double errorRate, double latency = 10)
    {
        var start = T0.AddMinutes(5 * _windows++);
        _metrics.Add("churn", "error_rate", new MonitoringPoint(start, start.AddMinutes(5), errorRate, 100));
        _metrics.Add("churn", "latency_p99", new MonitoringPoint(start, start.AddMinutes(5), latency, 100));
        _clock.SetUtcNow(start.AddMinutes(5));
        return Task.CompletedTask;
    }

    /// <summary>A real HTTP receiver on a free loopback port: answers 500 to the first <c>failFirst</c> requests, then 200.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private int _failuresLeft;

        public Receiver(int failFirst)
        {
            _failuresLeft = failFirst;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public List<(byte[] Body, System.Collections.Specialized.NameValueCollection Headers)> Requests { get; } = [];

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (Requests)
                {
                    Requests.Add((body.ToArray(), context.Request.Headers));
                }

                context.Response.StatusCode = _failuresLeft-- > 0 ? 500 : 200;
                context.Response.Close();
            }
        }
    }
}
