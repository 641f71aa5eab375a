namespace Keel.Hosting.Alerts;

/// <summary>The HTTP client webhooks are posted with, owned (and disposed) by the container.</summary>
internal sealed class WebhookClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public void Dispose() => Http.Dispose();
}
