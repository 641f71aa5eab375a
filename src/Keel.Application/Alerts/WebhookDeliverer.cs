using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Keel.Core.Coordination;
using Keel.Core.Monitoring;
using Keel.Core.Wire;

namespace Keel.Application.Alerts;

/// <summary>
/// Drains the alert outbox: posts each due event to its webhook, signed, and records the attempt
/// (delivered on a 2xx; else retried with exponential backoff until the attempts run out). The
/// evaluator only queues rows, so a slow or dead receiver never holds up evaluation, and queued rows
/// survive a restart.
/// </summary>
public sealed class WebhookDeliverer
{
    private const int Batch = 100;

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly IAlertStore _store;
    private readonly HttpClient _http;
    private readonly AlertOptions _options;
    private readonly TimeProvider _time;

    /// <param name="store">The backend's alert store.</param>
    /// <param name="http">The client to post with (not disposed here).</param>
    /// <param name="options">Secret, attempts and backoff.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    public WebhookDeliverer(IAlertStore store, HttpClient http, AlertOptions options, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The body posted for an event: the same bytes on every attempt.</summary>
    /// <param name="e">The event.</param>
    public static byte[] Body(AlertEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var payload = new AlertWebhookPayload
        {
            EventId = EventId(e.Sequence), Sequence = e.Sequence, AlertId = e.AlertId, Rule = e.Rule, Endpoint = e.Endpoint, Metric = e.Metric, Window = e.Window,
            WindowStart = Iso(e.WindowStart), WindowEnd = Iso(e.WindowEnd), Value = e.Value, Threshold = e.Threshold,
            Severity = AlertStateTransitions.Name(e.Severity), State = AlertStateTransitions.Name(e.To),
            PreviousState = e.From is { } from ? AlertStateTransitions.Name(from) : null, Reason = e.Reason, Timestamp = Iso(e.Time),
        };
        return JsonSerializer.SerializeToUtf8Bytes(payload, AlertJson.Default.AlertWebhookPayload);
    }

    /// <summary>The event's id in payloads and the <c>X-Keel-Event-Id</c> header.</summary>
    /// <param name="sequence">The event's sequence.</param>
    public static string EventId(long sequence) => "alert-event-" + sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>One pass over the due rows. Returns how many attempts it made.</summary>
    /// <param name="fence">The deliverer's lease, or null.</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    public async Task<int> DeliverDueAsync(LeaseFence? fence, CancellationToken cancellationToken = default)
    {
        var due = await _store.DueDeliveriesAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), Batch, cancellationToken).ConfigureAwait(false);
        foreach (var item in due)
        {
            var attempt = item.Attempts + 1;
            var (status, error) = await PostAsync(item, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var delivered = error is null;
            long? next = delivered || attempt >= _options.MaxAttempts ? null : (now + _options.Backoff(attempt)).ToUnixTimeMilliseconds();
            await _store.RecordDeliveryAsync(new DeliveryAttempt(item.Id, attempt, status, error, now.ToUnixTimeMilliseconds(), delivered, next), fence, cancellationToken).ConfigureAwait(false);
        }

        return due.Count;
    }

    private async Task<(int? Status, string? Error)> PostAsync(PendingDelivery item, CancellationToken cancellationToken)
    {
        var body = Body(item.Event);
        using var request = new HttpRequestMessage(HttpMethod.Post, item.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventIdHeader, EventId(item.Event.Sequence));
        if ((item.Secret ?? _options.WebhookSecret) is { } secret)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, body));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DeliveryTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (code, null) : (code, string.Create(CultureInfo.InvariantCulture, $"HTTP {code} {response.ReasonPhrase}"));
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.DeliveryTimeout.TotalSeconds:0.#} s"));
        }
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
