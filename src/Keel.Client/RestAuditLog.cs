using System.Globalization;
using Keel.Client.Internal;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Wire;

namespace Keel.Client;

/// <summary>
/// The audit log over a Keel server's API (<c>/api/2.0/keel/audit</c>): queries, verification
/// (which the server runs over its whole chain), "which versions served an endpoint at a time", and
/// the JSON Lines export. Appending is the server's alone (its use cases report their changes), so
/// <see cref="AppendAsync"/> is refused. Reads are retried on transient failures.
/// </summary>
public sealed class RestAuditLog : IAuditLog
{
    private const string Api = "/api/2.0/keel/audit";
    private readonly RestTransport _transport;

    internal RestAuditLog(RestTransport transport) => _transport = transport;

    /// <summary>Refused: the server appends as its use cases change things.</summary>
    /// <param name="entry">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    public Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        throw new KeelException(ErrorCode.InvalidParameterValue, "The audit log is written by the server as it makes changes; a client cannot append to it.");

    /// <summary>Refused, as <see cref="AppendAsync"/>.</summary>
    /// <param name="entry">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default) => AppendAsync(entry, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = await ListAsync(query, cancellationToken).ConfigureAwait(false);
        return [.. page.Events.Select(e => e.ToDomain())];
    }

    /// <summary>A page of events as the API answers it (with the next page's <c>after_sequence</c>).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<AuditEventsResponse> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _transport.GetJsonAsync(
            Api + "/events",
            [
                new("actor", query.Actor), new("action", query.ActionPrefix), new("resource_type", query.ResourceType), new("resource", query.Resource),
                new("approval_id", Number(query.ApprovalId)), new("since", Number(query.From)), new("until", Number(query.To)),
                new("after_sequence", Number(query.AfterSequence)), new("max_results", Number(query.MaxResults)), new("order", query.NewestFirst ? "newest" : "oldest"),
            ],
            AuditWireJson.Default.AuditEventsResponse, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(Api + "/verify", [], AuditWireJson.Default.AuditVerifyResponse, cancellationToken).ConfigureAwait(false)).ToDomain();

    /// <summary>Which versions served <paramref name="endpoint"/> at <paramref name="time"/>, who changed that and who approved it.</summary>
    /// <param name="time">ISO 8601 or Unix milliseconds.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<AuditAtResponse> AtAsync(string time, string endpoint, CancellationToken cancellationToken = default) =>
        _transport.GetJsonAsync(Api + "/at", [new("time", time), new("endpoint", endpoint)], AuditWireJson.Default.AuditAtResponse, cancellationToken);

    /// <summary>Copies the whole log, oldest first, as JSON Lines into <paramref name="destination"/> as the server streams it.</summary>
    /// <param name="destination">Where the lines go.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    public async Task ExportAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await _transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, _transport.Url(Api + "/export", [])), retry: true, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await body.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
