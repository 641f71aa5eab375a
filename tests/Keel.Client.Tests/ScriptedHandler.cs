using System.Net;
using System.Text;

namespace Keel.Client.Tests;

/// <summary>
/// An HTTP handler that answers from a script, one entry per attempt, and records what it was sent:
/// the SDK's retry and error handling is tested without a server, deterministically.
/// </summary>
internal sealed class ScriptedHandler(params Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] script) : HttpMessageHandler
{
    private int _next;

    public List<(HttpMethod Method, Uri Uri, string? ContentType, string? Body)> Requests { get; } = [];

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Json(HttpStatusCode status, string body, Action<HttpResponseMessage>? configure = null) =>
        (_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            configure?.Invoke(response);
            return Task.FromResult(response);
        };

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Text(HttpStatusCode status, string body, string mediaType) =>
        (_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Refused() =>
        (_, _) => throw new HttpRequestException("Connection refused");

    /// <summary>Never answers: only a cancellation ends it. <paramref name="entered"/> is set once the request is in.</summary>
    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Hang(TaskCompletionSource? entered = null) =>
        async (_, ct) =>
        {
            entered?.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        };

    public int Attempts => Requests.Count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!, request.Content?.Headers.ContentType?.ToString(), body));
        if (_next >= script.Length)
        {
            throw new InvalidOperationException($"Unexpected attempt {_next + 1}: the script has {script.Length}.");
        }

        var response = await script[_next++](request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }
}
