using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Keel.Application.OpenLineage;

/// <summary>
/// Sends OpenLineage events where <see cref="OpenLineageSettings"/> say: POSTed as JSON to an HTTP
/// endpoint (Marquez, DataHub, any OpenLineage consumer) and/or appended as one line to a file.
/// Lineage is a side channel: a consumer that is down costs a warning on stderr, never the
/// operation that produced the event (the OpenLineage clients behave the same).
/// </summary>
public sealed class OpenLineageEmitter : IDisposable
{
    private static readonly SemaphoreSlim FileLock = new(1, 1);
    private readonly OpenLineageSettings _settings;
    private readonly HttpClient? _http;
    private readonly bool _ownsHttp;
    private readonly TextWriter _warnings;

    /// <param name="settings">Where events go.</param>
    /// <param name="http">The client for the HTTP transport; one is made (5 s timeout) when null.</param>
    /// <param name="warnings">Where delivery failures are reported; stderr when null.</param>
    public OpenLineageEmitter(OpenLineageSettings settings, HttpClient? http = null, TextWriter? warnings = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Events = new OpenLineageEvents(settings.Namespace);
        _warnings = warnings ?? Console.Error;
        if (settings.Url is not null)
        {
            _ownsHttp = http is null;
            _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        }
    }

    /// <summary>Builds the events this emitter sends.</summary>
    public OpenLineageEvents Events { get; }

    /// <summary>True when events go somewhere.</summary>
    public bool Enabled => _settings.Enabled;

    /// <summary>Delivers one event to every configured transport; failures are reported, not thrown.</summary>
    public async Task EmitAsync(JsonObject runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (!Enabled)
        {
            return;
        }

        var json = runEvent.ToJsonString();
        if (_settings.File is { } file)
        {
            try
            {
                await FileLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    // One write of the whole line, so concurrent emitters in other processes interleave by line.
                    await File.AppendAllTextAsync(file, json + "\n", cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    FileLock.Release();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await _warnings.WriteLineAsync($"keel: could not write the OpenLineage event to {file}: {e.Message}").ConfigureAwait(false);
            }
        }

        if (_http is not null && _settings.Url is { } url)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                if (_settings.ApiKey is { Length: > 0 } key)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }

                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    await _warnings.WriteLineAsync($"keel: the OpenLineage endpoint {url} answered {(int)response.StatusCode} to a {runEvent["eventType"]} event.").ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await _warnings.WriteLineAsync($"keel: could not send the OpenLineage event to {url}: {e.Message}").ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http?.Dispose();
        }
    }
}
