using System.Net;
using System.Net.Sockets;
using Keel.Application.Alerts;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Xunit;

namespace Keel.EndToEnd.Tests.Alerts;

/// <summary>
/// Alerting through a real server over HTTP: rules applied with the SDK, a pass run by
/// POST /alerts/evaluate over window figures the test controls, the server's delivery loop posting a
/// signed webhook to a real local receiver (a 500 first, then a 200, both logged), and the alert
/// metrics on /metrics.
/// </summary>
public sealed class AlertFlowTests : IAsyncLifetime
{
    private readonly InProcessServers _servers = new();
    private readonly Windows _windows = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    [Fact]
    public async Task A_breach_fires_delivers_a_signed_webhook_shows_in_metrics_and_resolves()
    {
        using var receiver = new Receiver(failFirst: 1);
        var options = new AlertOptions { Interval = TimeSpan.FromDays(1), DeliveryPoll = TimeSpan.FromMilliseconds(50), BackoffBase = TimeSpan.FromMilliseconds(50), WebhookSecret = "e2e-secret" };
        var (client, _) = _servers.Start(new KeelServerOptions { Alerts = options, MonitoringMetrics = _windows });
        var rules = await client.Alerts.ApplyAsync(
            [new AlertRuleRequest { Name = "errors", Endpoint = "churn", Metric = "error_rate", Window = "5m", Warning = 0.1, Critical = 0.5, MinSamples = 10, Webhooks = [receiver.Url] }], "alice");
        Assert.Equal(1L, Assert.Single(rules).Version);

        _windows.Value = 0.7;
        var pass = await client.Alerts.EvaluateAsync();
        var fired = Assert.Single(pass.Events!);
        Assert.Equal((AlertState.Firing, AlertSeverity.Critical, (double?)0.7), (fired.To, fired.Severity, fired.Value));
        Assert.Empty((await client.Alerts.EvaluateAsync()).Events!);

        await Eventually.WaitUntilAsync(() => receiver.Count >= 2, TimeSpan.FromSeconds(30), "the webhook to be retried after its 500");
        using (var deadline = Eventually.Deadline(TimeSpan.FromSeconds(30)))
        {
            while ((await client.Alerts.ListDeliveriesAsync(fired.AlertId)).Count < 2)
            {
                await Task.Delay(20, deadline.Token);
            }
        }

        var log = await client.Alerts.ListDeliveriesAsync(fired.AlertId);
        Assert.Equal([(1, (int?)500, "retrying"), (2, (int?)200, "delivered")], log.Select(d => (d.Attempt, d.StatusCode, d.Outcome)));
        var (body, signature, eventId) = receiver.Last;
        Assert.True(WebhookSignature.Verify("e2e-secret", body, signature));
        Assert.Equal("alert-event-" + fired.Sequence, eventId);

        using var http = new HttpClient { BaseAddress = client.TrackingUri };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("keel_alerts_firing{endpoint=\"churn\",rule=\"errors\",severity=\"critical\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("keel_alert_transitions_total{endpoint=\"churn\",rule=\"errors\",to=\"firing\"} 1", metrics, StringComparison.Ordinal);

        var acked = await client.Alerts.AcknowledgeAsync(fired.AlertId, "bob");
        Assert.Equal(("bob", AlertState.Firing), (acked.AcknowledgedBy, acked.State));

        _windows.Value = 0.01;
        var resolved = Assert.Single((await client.Alerts.EvaluateAsync()).Events!);
        Assert.Equal((AlertState.Resolved, (AlertState?)AlertState.Firing), (resolved.To, resolved.From));
        metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("keel_alerts_firing{endpoint=\"churn\",rule=\"errors\",severity=\"critical\"} 0", metrics, StringComparison.Ordinal);
        Assert.Equal([fired.Sequence, resolved.Sequence], (await client.Alerts.ListEventsAsync(0, 100, null)).Select(e => e.Sequence));
    }

    /// <summary>Window figures for every metric: the last few complete 5-minute windows before now, all at <see cref="Value"/>.</summary>
    private sealed class Windows : IMonitoringMetrics
    {
        public double Value { get; set; }

        public Task<IReadOnlyList<MonitoringPoint>> ReadAsync(string endpoint, MonitoringMetric metric, MonitoringWindow window, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
        {
            var points = new List<MonitoringPoint>();
            for (var start = window.StartOf(from); start < to; start += window.Duration)
            {
                if (start >= from)
                {
                    points.Add(new MonitoringPoint(start, start + window.Duration, Value, 100));
                }
            }

            return Task.FromResult<IReadOnlyList<MonitoringPoint>>(points);
        }
    }

    /// <summary>A real HTTP receiver on a free loopback port: 500 to the first requests, then 200.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(byte[] Body, string? Signature, string? EventId)> _requests = [];
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

        public int Count
        {
            get
            {
                lock (_requests)
                {
                    return _requests.Count;
                }
            }
        }

        public (byte[] Body, string? Signature, string? EventId) Last
        {
            get
            {
                lock (_requests)
                {
                    return _requests[^1];
                }
            }
        }

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (true)
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
                lock (_requests)
                {
                    _requests.Add((body.ToArray(), context.Request.Headers["X-Keel-Signature-256"], context.Request.Headers["X-Keel-Event-Id"]));
                }

                context.Response.StatusCode = _failuresLeft-- > 0 ? 500 : 200;
                context.Response.Close();
            }
        }
    }
}
