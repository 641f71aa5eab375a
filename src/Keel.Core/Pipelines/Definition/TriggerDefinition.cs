namespace Keel.Core.Pipelines.Definition;

/// <summary>
/// What starts a pipeline besides a manual run. Exactly the fields of its kind are set:
/// <c>schedule</c> (<see cref="Cron"/>, <see cref="TimeZone"/>, <see cref="CatchUp"/>), <c>dataset</c>
/// (<see cref="Dataset"/>), <c>alert</c> (<see cref="AlertRule"/> and/or <see cref="Endpoint"/>, <see cref="Severity"/>),
/// <c>registry</c> (<see cref="Model"/>, <see cref="RegistryEvent"/>, <see cref="Alias"/>).
/// </summary>
/// <param name="Name">Unique within the pipeline.</param>
/// <param name="Kind">schedule, dataset, alert or registry.</param>
/// <param name="Params">Run parameters mapped from the event: value templates such as <c>${event.version}</c>.</param>
/// <param name="DebounceSeconds">A burst of events within this many seconds starts one run (with the last event); 0 for none.</param>
/// <param name="Cron">Five- or six-field cron expression (schedule).</param>
/// <param name="TimeZone">IANA time zone the cron is read in (schedule); UTC when null.</param>
/// <param name="CatchUp">What to do with times missed while no scheduler ran: skip, latest (one run) or all.</param>
/// <param name="Dataset">The dataset whose new versions fire it (dataset).</param>
/// <param name="AlertRule">The alert rule whose firing fires it (alert); null for any rule of <see cref="Endpoint"/>.</param>
/// <param name="Endpoint">Only alerts of this endpoint (alert).</param>
/// <param name="Severity">Only alerts at least this severe: warning or critical (alert).</param>
/// <param name="Model">The registered model whose events fire it (registry).</param>
/// <param name="RegistryEvent">version_created or alias_set (registry).</param>
/// <param name="Alias">For alias_set, only this alias; null for any.</param>
public sealed record TriggerDefinition(
    string Name,
    string Kind,
    IReadOnlyDictionary<string, string> Params,
    int DebounceSeconds = 0,
    string? Cron = null,
    string? TimeZone = null,
    string CatchUp = "latest",
    string? Dataset = null,
    string? AlertRule = null,
    string? Endpoint = null,
    string? Severity = null,
    string? Model = null,
    string? RegistryEvent = null,
    string? Alias = null);
