using System.Net;
using System.Text;
using Keel.Core.Monitoring;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="Client.RestMonitoringStore"/> enrolls in the monitoring store contract: each
/// test gets a fresh in-process server on its own data dir and talks to it over real HTTP. The
/// server's store keeps the server's clock, so receipt-time boundaries are checked an hour either
/// side of now rather than to the millisecond (<see cref="UsesGivenClock"/>).
/// </summary>
public sealed class RestMonitoringStoreContractTests : MonitoringStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    protected override bool UsesGivenClock => false;

    protected override IMonitoringStore CreateMonitoringStore(TimeProvider clock) => _servers.StartClient().Monitoring;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_changes_nothing()
    {
        var client = _servers.StartClient();
        await client.Monitoring.PutBucketAsync(Bucket("churn", T0), [Prediction("r1", T0)]);
        using var http = new HttpClient { BaseAddress = client.TrackingUri };
        const string Api = "/api/2.0/keel/monitoring/store/endpoints/churn";
        (string Method, string Path, string Body, string Says)[] cases =
        [
            ("POST", Api + "/labels", """{"labels": [{"request_id": "r1", "label": "1"}, {"request_id": "r1", "label": "0"}]}""", "labels[1].request_id"),
            ("POST", Api + "/labels", "{\"labels\": [{\"request_id\": \"" + new string('r', 201) + "\", \"label\": \"1\"}]}", "labels[0].request_id"),
            ("POST", Api + "/labels", """{"labels": [{"request_id": "r1", "label": "{nope"}]}""", "labels[0].label"),
            ("POST", Api + "/buckets", """{"bucket": {"start": 0, "seconds": 86401, "requests": 1, "stats": "{}", "computed_at": 0}}""", "bucket.seconds"),
            ("POST", Api + "/buckets", """{"bucket": {"start": 0, "seconds": 300, "requests": 1, "stats": "[1]", "computed_at": 0}}""", "bucket.stats"),
            ("POST", Api + "/buckets", """{"bucket": {"start": 0, "seconds": 300, "requests": 1, "stats": "{}", "computed_at": 0}, "predictions": [{"request_id": "a", "version": "1", "predicted": "1"}, {"request_id": "a", "version": "1", "predicted": "1"}]}""", "predictions[1].request_id"),
            ("PUT", Api + "/buckets/" + T0.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + "/quality", """{"quality": "[]", "read_at": 1}""", "quality"),
            ("PUT", Api + "/settings", """{"reference": "datasets:/ref@prod", "updated_at": 1}""", "settings.reference"),
            ("POST", "/api/2.0/keel/monitoring/store/purge", """{"buckets_before": -1, "unmatched_labels_before": 0}""", "buckets_before"),
        ];
        foreach (var (method, path, body, says) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} {body}: {(int)response.StatusCode} {text}");
            Assert.Contains(says, text, StringComparison.Ordinal);
        }

        using var list = await http.GetAsync(new Uri(Api + "/buckets?from=10&to=5", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);

        var bucket = Assert.Single(await client.Monitoring.ListBucketsAsync("churn", T0, T0.AddDays(1)));
        Assert.Null(bucket.Quality);
        Assert.Equal(new LabelSummary(0, 0, 0, 0), await client.Monitoring.LabelSummaryAsync("churn"));
        Assert.Null(await client.Monitoring.GetSettingsAsync("churn"));
    }
}
