using System.Globalization;
using Cronos;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Registry;

namespace Keel.Application.Pipelines.Scheduling;

/// <summary>
/// Reads what happened since a trigger's cursor: due cron times, new dataset versions, alert events
/// that reached firing, registry events. A cursor is first set to "now" (a new trigger does not fire
/// for the past), then moves with what was read; each firing has a key unique to its event.
/// </summary>
internal sealed class TriggerSources(IDatasetStore? datasets, IAlertCatalog? alerts, IModelRegistryStore? registry)
{
    /// <summary>Most firings taken from one feed in one pass (the rest come next pass).</summary>
    public const int Batch = 500;

    public async Task<(string Cursor, IReadOnlyList<TriggerFiring> Firings)> ReadAsync(
        string pipeline, TriggerDefinition trigger, string? cursor, DateTimeOffset now, TimeSpan grace, CancellationToken cancellationToken) => trigger.Kind switch
        {
            "schedule" => Schedule(pipeline, trigger, cursor, now, grace),
            "dataset" => await DatasetAsync(pipeline, trigger, cursor, cancellationToken).ConfigureAwait(false),
            "alert" => await AlertAsync(pipeline, trigger, cursor, cancellationToken).ConfigureAwait(false),
            "registry" => await RegistryAsync(pipeline, trigger, cursor, cancellationToken).ConfigureAwait(false),
            _ => (cursor ?? string.Empty, []),
        };

    /// <summary>Parses a cron expression (5 fields, or 6 with seconds) and its time zone; INVALID_PARAMETER_VALUE naming the trigger.</summary>
    public static (CronExpression Cron, TimeZoneInfo Zone) Cron(TriggerDefinition trigger)
    {
        CronExpression cron;
        try
        {
            var fields = trigger.Cron!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            cron = CronExpression.Parse(trigger.Cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw KeelException.InvalidParameter($"Trigger '{trigger.Name}': schedule '{trigger.Cron}' is not a valid cron expression ({e.Message}).");
        }

        TimeZoneInfo zone;
        try
        {
            zone = trigger.TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(trigger.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw KeelException.InvalidParameter($"Trigger '{trigger.Name}': time zone '{trigger.TimeZone}' is not known (use an IANA name such as Europe/Paris).");
        }

        return (cron, zone);
    }

    private static (string, IReadOnlyList<TriggerFiring>) Schedule(string pipeline, TriggerDefinition trigger, string? cursor, DateTimeOffset now, TimeSpan grace)
    {
        if (cursor is null || !long.TryParse(cursor, CultureInfo.InvariantCulture, out var last))
        {
            return (Ms(now), []);
        }

        var (cron, zone) = Cron(trigger);
        var due = cron.GetOccurrences(DateTimeOffset.FromUnixTimeMilliseconds(last), now, zone, fromInclusive: false, toInclusive: true).Take(10_000).ToList();
        if (due.Count == 0)
        {
            return (cursor, []);
        }

        // Times older than the grace were missed (no scheduler ran then): the catch-up policy decides.
        var missed = due.Where(t => t < now - grace).ToList();
        var onTime = due.Where(t => t >= now - grace).ToList();
        var fire = trigger.CatchUp switch
        {
            "all" => due.TakeLast(Batch).ToList(),
            "skip" => onTime,
            _ => onTime.Count > 0 ? [onTime[^1]] : missed.Count > 0 ? [missed[^1]] : [],
        };
        var firings = fire.Select(t => new TriggerFiring(
            $"schedule:{pipeline}:{trigger.Name}:{t.ToUnixTimeMilliseconds()}",
            new Dictionary<string, string>
            {
                ["scheduled_time"] = t.ToString("O", CultureInfo.InvariantCulture),
                ["scheduled_time_local"] = TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
                ["missed"] = missed.Count.ToString(CultureInfo.InvariantCulture),
            })).ToList();
        return (Ms(due[^1]), firings);
    }

    private async Task<(string, IReadOnlyList<TriggerFiring>)> DatasetAsync(string pipeline, TriggerDefinition trigger, string? cursor, CancellationToken cancellationToken)
    {
        var dataset = datasets is null ? null : await datasets.FindDatasetAsync(trigger.Dataset!, cancellationToken).ConfigureAwait(false);
        var latest = dataset?.LatestVersion ?? 0;
        if (cursor is null || !long.TryParse(cursor, CultureInfo.InvariantCulture, out var seen))
        {
            return (latest.ToString(CultureInfo.InvariantCulture), []);
        }

        var firings = new List<TriggerFiring>();
        for (var v = seen + 1; v <= latest && firings.Count < Batch; v++)
        {
            var version = await datasets!.FindVersionAsync(trigger.Dataset!, v, cancellationToken).ConfigureAwait(false);
            if (version is null)
            {
                continue;
            }

            firings.Add(new TriggerFiring(
                $"dataset:{pipeline}:{trigger.Name}:{version.Name}/{version.Version}",
                new Dictionary<string, string>
                {
                    ["dataset"] = version.Name,
                    ["version"] = version.Version.ToString(CultureInfo.InvariantCulture),
                    ["uri"] = version.Uri,
                    ["digest"] = version.ManifestDigest,
                    ["rows"] = version.RowCount?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                }));
        }

        var next = firings.Count == 0 ? Math.Max(seen, latest) : long.Parse(firings[^1].Fields["version"], CultureInfo.InvariantCulture);
        return (next.ToString(CultureInfo.InvariantCulture), firings);
    }

    private async Task<(string, IReadOnlyList<TriggerFiring>)> AlertAsync(string pipeline, TriggerDefinition trigger, string? cursor, CancellationToken cancellationToken)
    {
        if (alerts is null)
        {
            return (cursor ?? "0", []);
        }

        long after;
        if (cursor is null || !long.TryParse(cursor, CultureInfo.InvariantCulture, out after))
        {
            // First look: start after the newest event, so alerts from before the trigger existed do not fire it.
            after = 0;
            while (true)
            {
                var page = await alerts.ListEventsAsync(after, 1000, null, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    return (after.ToString(CultureInfo.InvariantCulture), []);
                }

                after = page[^1].Sequence;
            }
        }

        var events = await alerts.ListEventsAsync(after, Batch, null, cancellationToken).ConfigureAwait(false);
        var minimum = trigger.Severity == "critical" ? AlertSeverity.Critical : AlertSeverity.Warning;
        var firings = events
            .Where(e => e.To == AlertState.Firing && e.From != AlertState.Firing)
            .Where(e => (trigger.AlertRule is null || e.Rule == trigger.AlertRule) && (trigger.Endpoint is null || e.Endpoint == trigger.Endpoint) && e.Severity >= minimum)
            .Select(e => new TriggerFiring(
                $"alert:{pipeline}:{trigger.Name}:{e.Sequence}",
                new Dictionary<string, string>
                {
                    ["alert_id"] = e.AlertId.ToString(CultureInfo.InvariantCulture),
                    ["sequence"] = e.Sequence.ToString(CultureInfo.InvariantCulture),
                    ["rule"] = e.Rule,
                    ["endpoint"] = e.Endpoint,
                    ["metric"] = e.Metric,
                    ["severity"] = AlertStateTransitions.Name(e.Severity),
                    ["value"] = e.Value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
                    ["threshold"] = e.Threshold.ToString("R", CultureInfo.InvariantCulture),
                    ["window_start"] = e.WindowStart.ToString(CultureInfo.InvariantCulture),
                    ["window_end"] = e.WindowEnd.ToString(CultureInfo.InvariantCulture),
                }))
            .ToList();
        var next = events.Count > 0 ? events[^1].Sequence : after;
        return (next.ToString(CultureInfo.InvariantCulture), firings);
    }

    private async Task<(string, IReadOnlyList<TriggerFiring>)> RegistryAsync(string pipeline, TriggerDefinition trigger, string? cursor, CancellationToken cancellationToken)
    {
        if (registry is null)
        {
            return (cursor ?? "0", []);
        }

        // The audit trail is read newest first; events after the cursor are taken oldest first.
        var recent = await registry.ListEventsAsync(trigger.Model, 1000, cancellationToken).ConfigureAwait(false);
        var newest = recent.Count > 0 ? recent.Max(e => e.Id) : 0;
        if (cursor is null || !long.TryParse(cursor, CultureInfo.InvariantCulture, out var seen))
        {
            return (newest.ToString(CultureInfo.InvariantCulture), []);
        }

        var action = trigger.RegistryEvent == "alias_set" ? "set_registered_model_alias" : "create_model_version";
        var firings = new List<TriggerFiring>();
        foreach (var e in recent.Where(e => e.Id > seen).OrderBy(e => e.Id))
        {
            if (e.Action != action || e.Version is null)
            {
                continue;
            }

            string? alias = null;
            if (action == "set_registered_model_alias")
            {
                var before = e.Before?.Model?.Aliases ?? [];
                alias = e.After?.Model?.Aliases.FirstOrDefault(a => a.Version == e.Version && !before.Contains(a))?.Alias;
                if (trigger.Alias is not null && alias != trigger.Alias)
                {
                    continue;
                }
            }

            firings.Add(new TriggerFiring(
                $"registry:{pipeline}:{trigger.Name}:{e.Id}",
                new Dictionary<string, string>
                {
                    ["model"] = e.ModelName,
                    ["version"] = e.Version,
                    ["uri"] = $"models:/{e.ModelName}/{e.Version}",
                    ["alias"] = alias ?? string.Empty,
                    ["actor"] = e.Actor ?? string.Empty,
                    ["event"] = trigger.RegistryEvent ?? "version_created",
                }));
        }

        return (Math.Max(seen, newest).ToString(CultureInfo.InvariantCulture), firings);
    }

    private static string Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
