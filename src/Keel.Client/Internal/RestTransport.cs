using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Keel.Core.Errors;
using Keel.Core.Wire;

namespace Keel.Client.Internal;

/// <summary>
/// HTTP plumbing shared by the tracking and artifact calls: URL building, JSON bodies, retries with
/// exponential backoff and jitter for idempotent calls, and the error body → <see cref="KeelException"/> mapping.
/// </summary>
internal sealed class RestTransport : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _baseUrl;
    private readonly KeelClientOptions _options;

    public RestTransport(Uri trackingUri, HttpClient? httpClient, KeelClientOptions options)
    {
        _options = options;
        _ownsHttp = httpClient is null;
        // Our own per-attempt timeout applies; HttpClient's would also cut off streamed downloads.
        _http = httpClient ?? new HttpClient(TlsTrust.Handler(options)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _baseUrl = trackingUri.AbsoluteUri.TrimEnd('/');
        _credentials = options.Anonymous ? null : options.Credentials ?? KeelCredentials.FromEnvironment(trackingUri);
    }

    private readonly KeelCredentials? _credentials;

    /// <summary>True when requests carry credentials (options, environment or a saved <c>keel login</c> token).</summary>
    public bool HasCredentials => _credentials is not null;

    public string BaseUrl => _baseUrl;

    public async Task<TResponse> GetJsonAsync<TResponse>(string path, IEnumerable<KeyValuePair<string, string?>> query, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : new()
    {
        var url = Url(path, query);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), retry: true, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    public Task<TResponse> PostJsonAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, bool retry, CancellationToken cancellationToken)
        where TResponse : new() =>
        SendJsonAsync(HttpMethod.Post, path, body, requestType, responseType, retry, null, cancellationToken);

    /// <summary>Sends a JSON body with any method (the registry's PATCH and DELETE carry bodies too).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The API path, appended to the tracking URI.</param>
    /// <param name="body">The request.</param>
    /// <param name="requestType">How to write the request.</param>
    /// <param name="responseType">How to read the answer.</param>
    /// <param name="retry">True only for idempotent calls: they are retried on 429, 5xx and connection failures.</param>
    /// <param name="user">Sent as X-Keel-User, which the server records as the actor of registry changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<TResponse> SendJsonAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, bool retry, string? user, CancellationToken cancellationToken)
        where TResponse : new()
    {
        var url = Url(path, []);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        using var response = await SendAsync(
            () =>
            {
                var content = new ByteArrayContent(bytes);
                // Exactly "application/json": MLflow's server compares the media type.
                content.Headers.ContentType = JsonMediaType;
                var request = new HttpRequestMessage(method, url) { Content = content };
                if (user is not null)
                {
                    request.Headers.TryAddWithoutValidation("X-Keel-User", user);
                }

                return request;
            },
            retry,
            HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request and returns a successful response, or throws the rebuilt error.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, bool retry, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var canRetry = retry && attempt < _options.MaxRetries;
            HttpResponseMessage? response = null;
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCts.CancelAfter(_options.Timeout);
            try
            {
                using var request = createRequest();
                if (_credentials is not null && request.Headers.Authorization is null)
                {
                    request.Headers.Authorization = _credentials.Header;
                }

                response = await _http.SendAsync(request, completion, attemptCts.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (!canRetry)
                {
                    throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Could not reach the tracking server at {_baseUrl}: {ex.Message}", ex);
                }
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (!canRetry)
                {
                    throw new KeelException(ErrorCode.DeadlineExceeded, $"The tracking server at {_baseUrl} did not answer within {_options.Timeout.TotalSeconds:0.#} s.", ex);
                }
            }

            if (response is not null)
            {
                // 416 answers only a Range request; the caller reads the file's size from it.
                if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    return response;
                }

                if (!canRetry || !IsRetryable(response.StatusCode))
                {
                    using (response)
                    {
                        throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
                    }
                }

                var retryAfter = response.Headers.RetryAfter?.Delta;
                response.Dispose();
                await Task.Delay(retryAfter ?? Backoff(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }

            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    public string Url(string path, IEnumerable<KeyValuePair<string, string?>> query)
    {
        var parts = query.Where(kv => kv.Value is not null)
            .Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value!)}")
            .ToList();
        return parts.Count == 0 ? _baseUrl + path : $"{_baseUrl}{path}?{string.Join('&', parts)}";
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    // The serving-store API answers a refused revision with the stored endpoint, rebuilt here whole.
    private static Keel.Core.Serving.EndpointConflictException? StoredConflict(string body)
    {
        try
        {
            var conflict = JsonSerializer.Deserialize(body, ServingStoreJson.Default.StoredEndpointConflictResponse);
            return conflict is { StoredEndpoint: { } stored, ExpectedVersion: { } expected }
                ? new Keel.Core.Serving.EndpointConflictException(stored, expected)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The alerting API answers a refused rule version with the rule as stored.
    private static Keel.Core.Monitoring.AlertRuleConflictException? AlertRuleConflict(string body)
    {
        try
        {
            var conflict = JsonSerializer.Deserialize(body, AlertJson.Default.AlertRuleConflictResponse);
            return conflict is { ExpectedVersion: { } expected, Message: not null } && (conflict.CurrentRule is not null || conflict.RuleName is not null)
                ? new Keel.Core.Monitoring.AlertRuleConflictException(conflict.CurrentRule?.Name ?? conflict.RuleName!, conflict.CurrentRule, expected)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The feature registry answers a stale expected revision with the revision now.
    private static Keel.Core.Features.FeatureCatalogConflictException? FeatureCatalogConflict(string body)
    {
        try
        {
            var conflict = JsonSerializer.Deserialize(body, FeatureJson.Default.FeatureConflictResponse);
            return conflict is { CurrentRevision: { } current }
                ? new Keel.Core.Features.FeatureCatalogConflictException(current, ExpectedOf(conflict.Message))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // "... is at revision N, not M: ..." names the expected revision; -1 when it cannot be read.
    private static long ExpectedOf(string? message)
    {
        var at = message?.IndexOf(", not ", StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return -1;
        }

        var digits = new string(message![(at + 6)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    internal static bool IsRetryable(HttpStatusCode status) =>
        (int)status is 429 or 500 or 502 or 503 or 504;

    private TimeSpan Backoff(int attempt)
    {
        // Full exponential growth with ±50 % jitter so many clients retrying together spread out.
        var seconds = _options.BackoffBase.TotalSeconds * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromSeconds(Math.Min(seconds, _options.MaxBackoff.TotalSeconds));
    }

    /// <summary>A GET whose answer is one JSON document mapped to a record (no parameterless constructor); an empty answer is an error.</summary>
    public async Task<TResponse> GetRecordAsync<TResponse>(string path, IEnumerable<KeyValuePair<string, string?>> query, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        var wrapped = await GetJsonAsync(path, query, Wrap(responseType), cancellationToken).ConfigureAwait(false);
        return wrapped.Value ?? throw new KeelException(ErrorCode.InternalError, $"The server answered {path} with an empty body.");
    }

    /// <summary>Sends a JSON body and reads the answer as a record (no parameterless constructor); an empty answer is an error.</summary>
    public async Task<TResponse> SendRecordAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, bool retry, CancellationToken cancellationToken)
        where TResponse : class
    {
        var wrapped = await SendJsonAsync(method, path, body, requestType, Wrap(responseType), retry, null, cancellationToken).ConfigureAwait(false);
        return wrapped.Value ?? throw new KeelException(ErrorCode.InternalError, $"The server answered {path} with an empty body.");
    }

    // A record answer read through the new()-constrained path: the holder is what an empty body gives.
    private static JsonTypeInfo<Holder<T>> Wrap<T>(JsonTypeInfo<T> inner)
        where T : class =>
        JsonMetadataServices.CreateValueInfo<Holder<T>>(inner.Options, new HolderConverter<T>(inner));

    private sealed class Holder<T>
        where T : class
    {
        public T? Value { get; init; }
    }

    private sealed class HolderConverter<T>(JsonTypeInfo<T> inner) : JsonConverter<Holder<T>>
        where T : class
    {
        public override Holder<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new() { Value = JsonSerializer.Deserialize(ref reader, inner) };

        public override void Write(Utf8JsonWriter writer, Holder<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value!, inner);
    }

    private static async Task<TResponse> ReadJsonAsync<TResponse>(HttpResponseMessage response, JsonTypeInfo<TResponse> type, CancellationToken cancellationToken)
        where TResponse : new()
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Accepted && PendingApproval(bytes) is { } pending)
        {
            // The change was not made: its environment requires approval, and a request was stored.
            throw new Keel.Core.Governance.ApprovalRequiredException(pending);
        }

        if (bytes.Length == 0)
        {
            return new TResponse();
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? new TResponse();
        }
        catch (JsonException ex)
        {
            throw new KeelException(ErrorCode.InternalError, $"The server answered {(int)response.StatusCode} with a body that is not the expected JSON: {ex.Message}", ex);
        }
    }

    private static Keel.Core.Governance.Approval? PendingApproval(byte[] bytes)
    {
        try
        {
            return bytes.Length > 0 && JsonSerializer.Deserialize(bytes, Keel.Core.Wire.EnvironmentJson.Default.ApprovalResponse)?.Approval is { Id: not null } approval
                ? Keel.Core.Wire.EnvironmentWire.FromWire(approval)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static async Task<KeelException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            body = string.Empty;
        }

        // MLflow's auth app answers these in plain text; say how to sign in.
        if (status == 401)
        {
            return new KeelException(ErrorCode.Unauthenticated,
                $"The server at {response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Authority)} needs a sign-in: run `keel login`, or set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.");
        }

        if (status == 403 && body.Trim() == "Permission denied")
        {
            return new KeelException(ErrorCode.PermissionDenied, "Permission denied");
        }

        if (status == 409 && StoredConflict(body) is { } conflict)
        {
            return conflict;
        }

        if (status == 409 && AlertRuleConflict(body) is { } ruleConflict)
        {
            return ruleConflict;
        }

        if (status == 409 && FeatureCatalogConflict(body) is { } catalogConflict)
        {
            return catalogConflict;
        }

        try
        {
            var error = JsonSerializer.Deserialize(body, WireJson.Default.ErrorDto);
            if (error is { ErrorCode: not null } || error is { Message: not null })
            {
                return new KeelException(ErrorCodes.FromWire(error.ErrorCode, status), error.Message ?? string.Empty);
            }
        }
        catch (JsonException)
        {
            // Not an MLflow error body (a proxy's HTML page, a plain-text 404): fall through to the status.
        }

        var snippet = body.Length > 200 ? body[..200] + "…" : body;
        var message = $"HTTP {status} {response.ReasonPhrase} from {response.RequestMessage?.RequestUri}";
        return new KeelException(ErrorCodes.FromWire(null, status), snippet.Length == 0 ? message : $"{message}: {snippet.Trim()}");
    }
}
