using System.Collections.Concurrent;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.Core.Monitoring;
using Keel.Core.Predictions;
using Keel.Core.Serving;
using Keel.Data.Profiling;

namespace Keel.Application.Monitoring;

/// <summary>
/// Continuous monitoring's use cases: delayed labels in, bucket statistics computed from the
/// prediction log, quality recomputed as labels arrive, and windows of figures (traffic, errors,
/// latency, feature and prediction drift, quality) merged from buckets for the API, the CLI and
/// alerts. Input rules live here, once.
/// </summary>
public sealed partial class MonitoringService
{
    /// <summary>The most labels one feedback call takes.</summary>
    public const int MaxLabelsPerCall = 100_000;

    /// <summary>The longest request id (as the server accepts in x-request-id).</summary>
    public const int MaxRequestIdLength = 200;

    private readonly IMonitoringStore _store;
    private readonly IServingStore _serving;
    private readonly DatasetService _datasets;
    private readonly IModelFacts _facts;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Version, string? Reference), MonitoringReference> _references = new();

    /// <param name="store">Where buckets, labels and settings live.</param>
    /// <param name="serving">Endpoints (existence, creation time).</param>
    /// <param name="datasets">Resolves reference datasets and reads their profiles.</param>
    /// <param name="facts">Reads model versions' packages.</param>
    /// <param name="options">Bucket length and retention.</param>
    /// <param name="time">The clock.</param>
    public MonitoringService(IMonitoringStore store, IServingStore serving, DatasetService datasets, IModelFacts facts, MonitoringOptions options, TimeProvider? time = null)
    {
        _store = store;
        _serving = serving;
        _datasets = datasets;
        _facts = facts;
        Options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The options in force.</summary>
    public MonitoringOptions Options { get; }

    /// <summary>The store, for the scheduler.</summary>
    public IMonitoringStore Store => _store;

    /// <summary>
    /// Stores delayed labels for an endpoint's logged requests. Labels are validated first (all or
    /// nothing); within one call the last label for a request id wins, and the earlier ones count as replaced.
    /// </summary>
    public async Task<FeedbackOutcome> AddFeedbackAsync(string? endpoint, FeedbackRequest? request, CancellationToken cancellationToken)
    {
        var name = await ExistingEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var labels = request?.Labels ?? throw KeelException.MissingParameter("labels");
        if (labels.Count == 0)
        {
            throw KeelException.InvalidParameter("Invalid labels: the list is empty; send at least one {\"request_id\": ..., \"label\": ...}.");
        }

        if (labels.Count > MaxLabelsPerCall)
        {
            throw KeelException.InvalidParameter($"Invalid labels: {labels.Count:N0} labels in one call; the most is {MaxLabelsPerCall:N0}.");
        }

        var folded = new Dictionary<string, FeedbackLabel>(labels.Count, StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            var item = labels[i] ?? throw KeelException.InvalidParameter($"Invalid labels[{i}]: it must be an object with request_id and label.");
            var id = item.RequestId;
            if (string.IsNullOrEmpty(id) || id.Length > MaxRequestIdLength)
            {
                throw KeelException.InvalidParameter($"Invalid labels[{i}].request_id: it must be a string of 1 to {MaxRequestIdLength} characters (the request's x-request-id).");
            }

            if (item.Label is not { } label || label.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.Object)
            {
                throw KeelException.InvalidParameter($"Invalid labels[{i}].label: it must be a string, number or boolean, or an array of them (one per row of the request).");
            }

            if (label.ValueKind == JsonValueKind.Array && label.EnumerateArray().Any(v => v.ValueKind is JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array))
            {
                throw KeelException.InvalidParameter($"Invalid labels[{i}].label: an array label must hold strings, numbers or booleans only.");
            }

            folded[id] = new FeedbackLabel(id, label.GetRawText());
        }

        var outcome = await _store.AddLabelsAsync(name, [.. folded.Values], cancellationToken).ConfigureAwait(false);
        return outcome with { Replaced = outcome.Replaced + (labels.Count - folded.Count) };
    }

    /// <summary>The endpoint's label counts.</summary>
    public async Task<LabelSummary> LabelsAsync(string? endpoint, CancellationToken cancellationToken) =>
        await _store.LabelSummaryAsync(await ExistingEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The endpoint's settings (defaults when none were set).</summary>
    public async Task<MonitoringSettings> GetSettingsAsync(string? endpoint, CancellationToken cancellationToken)
    {
        var name = await ExistingEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return await _store.GetSettingsAsync(name, cancellationToken).ConfigureAwait(false) ?? new MonitoringSettings(name, null, null, DateTimeOffset.FromUnixTimeMilliseconds(0));
    }

    /// <summary>Sets the endpoint's explicit reference (resolved to an immutable version now) and drift options.</summary>
    public async Task<MonitoringSettings> SetSettingsAsync(string? endpoint, MonitoringSettingsRequest? request, CancellationToken cancellationToken)
    {
        var name = await ExistingEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false);
        request ??= new MonitoringSettingsRequest();
        string? reference = null;
        if (!string.IsNullOrEmpty(request.Reference))
        {
            var version = await _datasets.ResolveAsync(request.Reference, cancellationToken).ConfigureAwait(false);
            if (version.Profile is null)
            {
                throw KeelException.InvalidParameter($"Invalid reference: {version.Uri} has no profile (it is not a table), so it cannot be a monitoring reference.");
            }

            reference = version.Uri;
        }

        string? drift = null;
        if (request.Drift is { ValueKind: not JsonValueKind.Null } given)
        {
            drift = DriftSettings.Parse(given, "drift").ToJson();
        }

        var settings = new MonitoringSettings(name, reference, drift, _time.GetUtcNow());
        await _store.PutSettingsAsync(settings, cancellationToken).ConfigureAwait(false);
        return settings;
    }

    /// <summary>Forgets everything monitoring kept for a deleted endpoint.</summary>
    public Task ForgetEndpointAsync(string endpoint, CancellationToken cancellationToken) => _store.DeleteEndpointAsync(endpoint, cancellationToken);

    private async Task<string> ExistingEndpointAsync(string? endpoint, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            throw KeelException.MissingParameter("name");
        }

        _ = await _serving.FindEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false)
            ?? throw KeelException.NotFound($"Endpoint '{endpoint}' does not exist.");
        return endpoint;
    }

    /// <summary>The reference of a model version: the endpoint's explicit reference, else its training dataset's profile.</summary>
    internal async Task<MonitoringReference> ReferenceAsync(string version, string? explicitReference, CancellationToken cancellationToken)
    {
        if (_references.TryGetValue((version, explicitReference), out var cached))
        {
            return cached;
        }

        var facts = ModelFacts.Unknown;
        var cut = version.LastIndexOf('/');
        if (cut > 0)
        {
            try
            {
                facts = await _facts.ForVersionAsync(version[..cut], version[(cut + 1)..], cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException)
            {
                // A version deleted from the registry is still monitored for traffic and latency.
            }
        }

        var reference = MonitoringReference.Empty(facts);
        if ((explicitReference ?? facts.TrainingDataset) is { Length: > 0 } source)
        {
            try
            {
                var dataset = await _datasets.ResolveAsync(source, cancellationToken).ConfigureAwait(false);
                if (dataset.Profile is { } profile)
                {
                    reference = MonitoringReference.From(dataset.Uri, TableProfile.Parse(profile), facts);
                }
            }
            catch (KeelException)
            {
                // A deleted or unprofiled reference leaves drift out; the rest is still watched.
            }
        }

        _references[(version, explicitReference)] = reference;
        return reference;
    }
}
