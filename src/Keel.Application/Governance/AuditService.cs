using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Registry;
using Keel.Core.Wire;

namespace Keel.Application.Governance;

/// <summary>
/// Reading the audit log: filtered pages, the chain's verification, the JSON Lines export, and
/// "which model versions served endpoint E at time T, and who changed and approved that", answered
/// from the endpoint's events alone (each endpoint event's after-state carries its routes).
/// Arguments are checked here once; the log itself is written by the use cases that change things.
/// </summary>
public sealed class AuditService
{
    /// <summary>Default page size.</summary>
    public const int DefaultResults = 100;

    private const int ExportPage = 1000;

    private readonly IAuditLog _log;

    /// <param name="log">The audit log.</param>
    public AuditService(IAuditLog log) => _log = log ?? throw new ArgumentNullException(nameof(log));

    /// <summary>A page of events.</summary>
    /// <param name="actor">Only this actor's.</param>
    /// <param name="action">Only actions starting with this.</param>
    /// <param name="resourceType">Only this kind of resource.</param>
    /// <param name="resource">Only this resource.</param>
    /// <param name="since">From this time (ISO 8601 or Unix ms).</param>
    /// <param name="until">Up to this time (ISO 8601 or Unix ms).</param>
    /// <param name="afterSequence">Continue after this sequence (paging).</param>
    /// <param name="maxResults">1 to 10000, default 100.</param>
    /// <param name="order">newest (default) or oldest.</param>
    /// <param name="approvalId">Only events of this approval.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<AuditEventsResponse> QueryAsync(
        string? actor, string? action, string? resourceType, string? resource, string? since, string? until, long? afterSequence, int? maxResults, string? order,
        long? approvalId = null, CancellationToken cancellationToken = default)
    {
        var max = maxResults ?? DefaultResults;
        if (max is < 1 or > AuditQuery.MaxPage)
        {
            throw KeelException.InvalidParameter($"Invalid value {max} for 'max_results': it must be between 1 and {AuditQuery.MaxPage}.");
        }

        if (afterSequence is < 0)
        {
            throw KeelException.InvalidParameter($"Invalid value {afterSequence} for 'after_sequence': it must be 0 or more.");
        }

        var newest = order switch
        {
            null or "" or "newest" => true,
            "oldest" => false,
            _ => throw KeelException.InvalidParameter($"Invalid value '{order}' for 'order': it must be newest or oldest."),
        };
        var query = new AuditQuery
        {
            Actor = Empty(actor),
            ActionPrefix = Empty(action),
            ResourceType = Empty(resourceType),
            Resource = Empty(resource),
            ApprovalId = approvalId,
            From = since is null ? null : ParseTime(since, "since"),
            To = until is null ? null : ParseTime(until, "until"),
            AfterSequence = afterSequence is 0 ? null : afterSequence,
            MaxResults = max,
            NewestFirst = newest,
        };
        var events = await _log.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return new AuditEventsResponse
        {
            Events = [.. events.Select(ToDto)],
            NextAfterSequence = events.Count == max ? events[^1].Sequence : null,
        };
    }

    /// <summary>Recomputes the whole chain.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<AuditVerifyResponse> VerifyAsync(CancellationToken cancellationToken = default) =>
        ToDto(await _log.VerifyAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Every event, oldest first, page by page (for a JSON Lines export).</summary>
    /// <param name="cancellationToken">Cancels the export.</param>
    public async IAsyncEnumerable<AuditEventDto> ExportAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long after = 0;
        while (true)
        {
            var page = await _log.QueryAsync(new AuditQuery { NewestFirst = false, AfterSequence = after, MaxResults = ExportPage }, cancellationToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                yield return ToDto(e);
            }

            if (page.Count < ExportPage)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    /// <summary>Which versions served <paramref name="endpoint"/> at <paramref name="time"/>, who made that change and who approved it.</summary>
    /// <param name="time">ISO 8601 or Unix milliseconds.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST when the log records nothing of the endpoint up to then.</exception>
    public async Task<AuditAtResponse> AtAsync(string? time, string? endpoint, CancellationToken cancellationToken = default)
    {
        var at = ParseTime(time ?? throw KeelException.MissingParameter("time"), "time");
        var name = Empty(endpoint) ?? throw KeelException.MissingParameter("endpoint");
        var found = await _log.QueryAsync(new AuditQuery { ResourceType = "endpoint", Resource = name, To = at, MaxResults = 1 }, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            throw KeelException.NotFound($"The audit log records no change to endpoint '{name}' at or before {DateTimeOffset.FromUnixTimeMilliseconds(at):O}.");
        }

        var change = found[0];
        var approvalId = change.ApprovalId;
        if (approvalId is null && change.Actor == AuditActors.RolloutController)
        {
            // The controller carries out a rollout someone started: that start's approval is the one that counts.
            var start = await _log.QueryAsync(new AuditQuery { ResourceType = "endpoint", Resource = name, ActionPrefix = "endpoint.rollout.start", To = change.Timestamp, MaxResults = 1 }, cancellationToken).ConfigureAwait(false);
            approvalId = start.Count == 0 ? null : start[0].ApprovalId;
        }

        AuditApprovalDto? approval = null;
        if (approvalId is { } id)
        {
            var decided = await _log.QueryAsync(new AuditQuery { ApprovalId = id, ActionPrefix = "approval.approve", MaxResults = 1 }, cancellationToken).ConfigureAwait(false);
            approval = new AuditApprovalDto { Id = id, ApprovedBy = decided.Count == 0 ? null : decided[0].Actor, ApprovedAt = decided.Count == 0 ? null : decided[0].Timestamp };
        }

        return new AuditAtResponse
        {
            Endpoint = name,
            Time = at,
            Traffic = Traffic(change.After),
            ChangedBy = change.Actor,
            ChangedAt = change.Timestamp,
            Action = change.Action,
            EventSequence = change.Sequence,
            Approval = approval,
        };
    }

    /// <summary>Unix milliseconds from digits, or from an ISO 8601 time (UTC unless it says otherwise).</summary>
    /// <param name="text">The time as written.</param>
    /// <param name="field">The argument's name, for the error.</param>
    public static long ParseTime(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return parsed.ToUnixTimeMilliseconds();
        }

        throw KeelException.InvalidParameter($"Invalid value '{text}' for '{field}': give an ISO 8601 time (2026-12-02T14:00:00Z) or Unix milliseconds.");
    }

    /// <summary>The API shape of an event.</summary>
    /// <param name="e">The event.</param>
    public static AuditEventDto ToDto(AuditEvent e) => AuditWireMapping.ToDto(e);

    /// <summary>The API shape of a verification.</summary>
    /// <param name="v">The verification.</param>
    public static AuditVerifyResponse ToDto(AuditVerification v) => AuditWireMapping.ToDto(v);

    // The routes of an endpoint's after-state (the API's Endpoint JSON): model URIs pinned to versions.
    private static List<AuditTrafficDto> Traffic(string? after)
    {
        var traffic = new List<AuditTrafficDto>();
        if (string.IsNullOrEmpty(after))
        {
            return traffic;
        }

        using var document = JsonDocument.Parse(after);
        if (!document.RootElement.TryGetProperty("routes", out var routes) || routes.ValueKind != JsonValueKind.Array)
        {
            return traffic;
        }

        foreach (var route in routes.EnumerateArray())
        {
            var uri = route.TryGetProperty("model_uri", out var u) ? u.GetString() ?? string.Empty : string.Empty;
            var weight = route.TryGetProperty("weight", out var w) && w.TryGetInt32(out var pct) ? pct : 0;
            var role = route.TryGetProperty("role", out var r) ? r.ToString() : null;
            var (model, version) = (uri, (string?)null);
            if (ModelUri.IsModelUri(uri))
            {
                try
                {
                    var parsed = ModelUri.Parse(uri);
                    (model, version) = (parsed.Name, parsed.Version?.ToString(CultureInfo.InvariantCulture));
                }
                catch (KeelException)
                {
                    // Kept as written.
                }
            }

            traffic.Add(new AuditTrafficDto { Model = model, Version = version, Percent = weight, Role = role });
        }

        return traffic;
    }

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
