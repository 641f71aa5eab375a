using Keel.Application.Alerts;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's alerting API (/api/2.0/keel/alerts): rules, alerts, the append-only event feed,
/// acknowledgement, and one evaluation pass on demand. Every argument is checked by
/// <see cref="AlertService"/>; a bad rule or ack is refused whole and changes nothing.
/// </summary>
internal static class AlertEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/alerts", "/ajax-api/2.0/keel/alerts" })
        {
            var group = app.MapGroup(prefix).WithTags("Alerts")
                .PathParameter("name", "The rule's name.")
                .PathParameter("id", "The alert's number.");
            group.MapGet(string.Empty, (Delegate)ListAlertsAsync)
                .Describe<AlertsResponse>("List alerts", "Alerts newest first (open and recent), filtered by endpoint, state (pending, firing, resolved, or open for pending and firing) and rule.", 400)
                .Query("endpoint", "Only this endpoint's alerts.")
                .Query("state", "pending, firing, resolved or open.")
                .Query("rule", "Only this rule's alerts.")
                .Query("max_results", "The most alerts, 1-1000 (default 100).", JsonSchemaType.Integer);
            group.MapGet("/events", (Delegate)EventsAsync)
                .Describe<AlertEventsResponse>("Read the alert event feed", "Every alert state change with a sequence above `after`, oldest first: the window and value that caused it, the threshold and severity. Subscribers poll with next_after.", 400)
                .Query("after", "The last sequence already seen (default 0).", JsonSchemaType.Integer)
                .Query("max_results", "The most events, 1-1000 (default 100).", JsonSchemaType.Integer)
                .Query("alert_id", "Only this alert's events.", JsonSchemaType.Integer);
            group.MapPost("/evaluate", (Delegate)EvaluateAsync).Body<EvaluateAlertsRequest>(optional: true)
                .Describe<EvaluateAlertsResponse>("Evaluate every rule now", "Runs one evaluation pass over every enabled rule at once (the evaluator also runs every KEEL_ALERT_INTERVAL_SECONDS) and answers the state changes it recorded. Evaluating again without new windows records nothing.", 400);
            group.MapGet("/rules", (Delegate)ListRulesAsync)
                .Describe<AlertRulesResponse>("List alert rules", "Rules by name, of one endpoint or all.", 400)
                .Query("endpoint", "Only this endpoint's rules.");
            group.MapPost("/rules", (Delegate)ApplyAsync).Body<ApplyAlertRulesRequest>()
                .Describe<AlertRulesResponse>("Apply alert rules", "Creates or replaces each rule (with expected_version: only from that version, 0 for a new rule). Every rule is checked before any is stored: a bad one is refused (400) naming the rule and the field.", 400, 409);
            group.MapGet("/rules/{name}", GetRuleAsync)
                .Describe<AlertRuleResponse>("Read an alert rule", "The rule with its version; the secret is never shown (has_secret).", 400, 404);
            group.MapPut("/rules/{name}", PutRuleAsync).Body<AlertRuleRequest>()
                .Describe<AlertRuleResponse>("Create or update an alert rule", "Writes the rule; with expected_version the write succeeds only from that version (0: only when new), else 409 with current_rule.", 400, 409);
            group.MapDelete("/rules/{name}", DeleteRuleAsync)
                .Describe<AlertRuleResponse>("Delete an alert rule", "Deletes the rule; its open alert resolves (an event, without webhooks).", 400, 404);
            group.MapGet("/{id}", GetAlertAsync)
                .Describe<AlertResponse>("Read an alert", "The alert with its state changes and the delivery log of its webhooks.", 400, 404);
            group.MapGet("/{id}/deliveries", DeliveriesAsync)
                .Describe<AlertDeliveriesResponse>("Read an alert's delivery log", "Every webhook delivery attempt of the alert's events: attempt, status code, error, time, outcome.", 400, 404);
            group.MapPost("/{id}/ack", AckAsync).Body<AckAlertRequest>(optional: true)
                .Describe<AlertResponse>("Acknowledge an alert", "Records who (by, else the X-Keel-User header, else anonymous) and when; the alert's state does not change.", 400, 404);
        }
    }

    private static AlertService Service(HttpContext context) => context.RequestServices.GetRequiredService<AlertService>();

    private static async Task ListAlertsAsync(HttpContext context)
    {
        var alerts = await Service(context).ListAlertsAsync(
            QueryArgs.String(context, "endpoint"), QueryArgs.String(context, "state"), QueryArgs.String(context, "rule"), QueryArgs.Int(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new AlertsResponse { Alerts = [.. alerts] }, AlertJson.Default.AlertsResponse).ConfigureAwait(false);
    }

    private static async Task EventsAsync(HttpContext context)
    {
        var after = QueryArgs.Long(context, "after");
        var events = await Service(context).EventsAsync(after, QueryArgs.Int(context, "max_results"), QueryArgs.String(context, "alert_id"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context, new AlertEventsResponse { Events = [.. events], NextAfter = events.Count > 0 ? events[^1].Sequence : after ?? 0 }, AlertJson.Default.AlertEventsResponse).ConfigureAwait(false);
    }

    private static async Task EvaluateAsync(HttpContext context)
    {
        _ = await WireIO.ReadAsync(context, AlertJson.Default.EvaluateAlertsRequest).ConfigureAwait(false);
        var pass = await Service(context).EvaluateAsync(null, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context, new EvaluateAlertsResponse { RulesEvaluated = pass.RulesEvaluated, Events = [.. pass.Events], Errors = [.. pass.Errors] }, AlertJson.Default.EvaluateAlertsResponse).ConfigureAwait(false);
    }

    private static async Task ListRulesAsync(HttpContext context)
    {
        var rules = await Service(context).ListRulesAsync(QueryArgs.String(context, "endpoint"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new AlertRulesResponse { Rules = [.. rules] }, AlertJson.Default.AlertRulesResponse).ConfigureAwait(false);
    }

    private static async Task ApplyAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, AlertJson.Default.ApplyAlertRulesRequest).ConfigureAwait(false);
        await WithConflictAsync(context, async () =>
        {
            var rules = await Service(context).ApplyAsync(r.Rules, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
            await WireIO.WriteAsync(context, new AlertRulesResponse { Rules = [.. rules] }, AlertJson.Default.AlertRulesResponse).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task GetRuleAsync(HttpContext context, string name)
    {
        var rule = await Service(context).GetRuleAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new AlertRuleResponse { Rule = rule }, AlertJson.Default.AlertRuleResponse).ConfigureAwait(false);
    }

    private static async Task PutRuleAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, AlertJson.Default.AlertRuleRequest).ConfigureAwait(false);
        await WithConflictAsync(context, async () =>
        {
            var rule = await Service(context).PutAsync(name, r, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
            await WireIO.WriteAsync(context, new AlertRuleResponse { Rule = rule }, AlertJson.Default.AlertRuleResponse).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task DeleteRuleAsync(HttpContext context, string name)
    {
        await Service(context).DeleteRuleAsync(name, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new AlertRuleResponse(), AlertJson.Default.AlertRuleResponse).ConfigureAwait(false);
    }

    private static async Task GetAlertAsync(HttpContext context, string id)
    {
        var details = await Service(context).GetAlertAsync(id, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(
            context, new AlertResponse { Alert = details.Alert, Events = [.. details.Events], Deliveries = [.. details.Deliveries] }, AlertJson.Default.AlertResponse).ConfigureAwait(false);
    }

    private static async Task DeliveriesAsync(HttpContext context, string id)
    {
        var details = await Service(context).GetAlertAsync(id, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new AlertDeliveriesResponse { Deliveries = [.. details.Deliveries] }, AlertJson.Default.AlertDeliveriesResponse).ConfigureAwait(false);
    }

    private static async Task AckAsync(HttpContext context, string id)
    {
        var r = await WireIO.ReadAsync(context, AlertJson.Default.AckAlertRequest).ConfigureAwait(false);
        var alert = await Service(context).AcknowledgeAsync(id, r.By, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new AlertResponse { Alert = alert }, AlertJson.Default.AlertResponse).ConfigureAwait(false);
    }

    // A refused version answers the usual error body plus the rule as stored, so the SDK rebuilds the conflict whole.
    private static async Task WithConflictAsync(HttpContext context, Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (AlertRuleConflictException e) when (!context.Response.HasStarted)
        {
            await WireIO.WriteAsync(
                context,
                new AlertRuleConflictResponse { ErrorCode = ErrorCodes.ToWire(e.Code), Message = e.Message, RuleName = e.RuleName, CurrentRule = e.Current, ExpectedVersion = e.ExpectedVersion },
                AlertJson.Default.AlertRuleConflictResponse,
                e.HttpStatus).ConfigureAwait(false);
        }
    }
}
