using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Keel.Cli.Commands.Monitor;
using Keel.Client;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Keel.ML.Batch;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>
/// The quickstart's monitoring stage, on the server that served the canary (one-second buckets):
/// traffic like the training data, then traffic whose tumour sizes are inflated by half (drift),
/// then the true diagnoses as delayed labels; the figures per window show the drift and the
/// quality drop.
/// </summary>
internal static class QuickstartMonitor
{
    public const int PerPhase = 150;

    /// <summary>The window of the quickstart's alert rules, in seconds.</summary>
    private const int AlertWindowSeconds = 5;

    /// <summary>Columns whose values the drifted phase inflates.</summary>
    internal static readonly string[] Inflated = ["mean_radius", "mean_perimeter", "mean_area", "worst_radius", "worst_perimeter", "worst_area", "mean_texture", "worst_texture"];

    public static async Task<MonitoringReport> RunAsync(KeelClient client, HttpClient http, string endpoint, string dataCsv, string label, CancellationToken cancellationToken)
    {
        var (header, rows) = Rows(dataCsv);
        // The file is ordered (malignant cases first); a fixed shuffle makes each phase a fair sample.
        rows = [.. rows.Select((r, i) => (Row: r, Key: (i * 7919) % rows.Count)).OrderBy(p => p.Key).Select(p => p.Row)];
        var labelIndex = header.IndexOf(label);
        var truth = new List<FeedbackItem?>();
        var from = DateTimeOffset.UtcNow;
        await AnsiConsole.Status().StartAsync("Sending traffic: first like the training data, then with tumour sizes inflated by half", async _ =>
        {
            await NextWindowAsync(cancellationToken).ConfigureAwait(false);
            from = DateTimeOffset.UtcNow;
            await SendAsync(http, endpoint, header, rows, labelIndex, "qs-a", 0, 1.0, truth, cancellationToken).ConfigureAwait(false);
            await NextWindowAsync(cancellationToken).ConfigureAwait(false);
            await SendAsync(http, endpoint, header, rows, labelIndex, "qs-b", PerPhase, 1.5, truth, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var sent = await WaitAsync(client, endpoint, from, r => r.Windows.Sum(w => w.Traffic) >= 2 * PerPhase, "the server to compute the traffic's buckets", cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLineInterpolated($"{sent.Windows.Sum(w => w.Traffic):N0} requests logged and summarised in one-second buckets.");

        var outcome = await client.SendFeedbackAsync(endpoint, new FeedbackRequest { Labels = truth }, cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLineInterpolated($"Delayed labels: {outcome.Received:N0} sent, {outcome.Matched:N0} joined to their predictions by request id.");
        var report = await WaitAsync(client, endpoint, from, r => r.Windows.Sum(w => w.Quality?.Labeled ?? 0) >= 2 * PerPhase, "quality to follow the labels", cancellationToken).ConfigureAwait(false);
        MonitorShowCommand.Print(report);
        await AlertAsync(client, endpoint, cancellationToken).ConfigureAwait(false);
        return report;
    }

    // Two rules on five-second windows, evaluated at once: the drifted phase breaches both.
    private static async Task AlertAsync(KeelClient client, string endpoint, CancellationToken cancellationToken)
    {
        NewAlertRule[] rules =
        [
            new("quickstart-drift", endpoint, "drift_share", $"{AlertWindowSeconds}s", Warning: 0.2, Critical: 0.5, AlertDirection.Above, MinSamples: 50, For: 1, Webhooks: [], Enabled: true, Secret: null),
            new("quickstart-accuracy", endpoint, "accuracy", $"{AlertWindowSeconds}s", Warning: 0.9, Critical: 0.8, AlertDirection.Below, MinSamples: 50, For: 1, Webhooks: [], Enabled: true, Secret: null),
        ];
        foreach (var rule in rules)
        {
            // Afresh on every run: deleting a rule resolves its open alert from the last run.
            try
            {
                await client.Alerts.DeleteRuleAsync(rule.Name, "quickstart", cancellationToken).ConfigureAwait(false);
            }
            catch (Keel.Core.Errors.KeelException e) when (e.Code is Keel.Core.Errors.ErrorCode.ResourceDoesNotExist or Keel.Core.Errors.ErrorCode.NotFound)
            {
            }

            await client.Alerts.PutRuleAsync(rule, null, "quickstart", cancellationToken).ConfigureAwait(false);
        }

        // A window counts once it has ended: wait for the drifted phase's window to close, then
        // evaluate. The server also evaluates on its own schedule, and a pass of its own may record
        // a change just before this call, which then has nothing left to change; so what is
        // reported is what stands afterwards, asked again for a few seconds while a rule has none.
        await NextWindowAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<AlertEvent>();
        var standing = new Dictionary<string, Alert>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(AlertWindowSeconds * 3);
        while (true)
        {
            var evaluated = await client.Alerts.EvaluateAsync(cancellationToken).ConfigureAwait(false);
            events.AddRange(evaluated.Events ?? []);
            foreach (var error in evaluated.Errors ?? [])
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]Alert rule not evaluated: {error}[/]");
            }

            foreach (var rule in rules)
            {
                var newest = (await client.Alerts.ListAlertsAsync(new AlertQuery(endpoint, null, rule.Name, 1), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
                if (newest is { State: AlertState.Pending or AlertState.Firing })
                {
                    standing[rule.Name] = newest;
                }
            }

            if (standing.Count == rules.Length || (evaluated.Errors?.Count ?? 0) > 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        foreach (var e in events)
        {
            PrintAlert(e.Rule, e.Metric, e.Value, e.Window, e.Threshold, e.To, e.Severity);
        }

        foreach (var alert in standing.Values.Where(a => !events.Any(e => e.Rule == a.Rule)))
        {
            PrintAlert(alert.Rule, alert.Metric, alert.Value, alert.Window, alert.Threshold, alert.State, alert.Severity);
        }

        if (standing.Count == 0 && events.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]No alert fired on the newest windows (keel alerts list shows the rules' state).[/]");
        }
    }

    private static void PrintAlert(string rule, string metric, double? value, string window, double threshold, AlertState state, AlertSeverity severity) =>
        AnsiConsole.MarkupLineInterpolated($"[red]Alert[/] {rule}: {metric} = {value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-"} over {window} (threshold {threshold.ToString("0.###", CultureInfo.InvariantCulture)}) -> {AlertStateTransitions.Name(state)} ({AlertStateTransitions.Name(severity)})");

    private static async Task<MonitoringReport> WaitAsync(KeelClient client, string endpoint, DateTimeOffset from, Func<MonitoringReport, bool> done, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var report = await client.GetMonitoringAsync(endpoint, count: PerPhase, from: from, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (done(report) || DateTime.UtcNow > deadline)
            {
                if (!done(report))
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]Gave up waiting for {what} after a minute; showing what is there.[/]");
                }

                return report;
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    // Each phase starts a window of the alert rules' length, so those windows (and windows of
    // PerPhase requests) hold one phase each: the drifted phase is not diluted by the phase before.
    private static Task NextWindowAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var windowMs = AlertWindowSeconds * 1000L;
        return Task.Delay(TimeSpan.FromMilliseconds(windowMs - (now % windowMs) + 1), cancellationToken);
    }

    private static (List<string> Header, List<List<string>> Rows) Rows(string csv)
    {
        using var reader = new StreamReader(csv);
        var header = CsvFields.Split(reader.ReadLine() ?? string.Empty);
        var rows = new List<List<string>>();
        while (reader.ReadLine() is { } line)
        {
            rows.Add(CsvFields.Split(line));
        }

        return (header, rows);
    }

    private static Task SendAsync(HttpClient http, string endpoint, List<string> header, List<List<string>> rows, int labelIndex, string prefix, int offset, double scale, List<FeedbackItem?> truth, CancellationToken cancellationToken)
    {
        var keep = Enumerable.Range(0, header.Count).Where(i => i != labelIndex).ToArray();
        var columns = string.Join(',', keep.Select(i => "\"" + header[i] + "\""));
        for (var i = 0; i < PerPhase; i++)
        {
            truth.Add(new FeedbackItem { RequestId = $"{prefix}-{i}", Label = System.Text.Json.JsonSerializer.SerializeToElement(rows[(offset + i) % rows.Count][labelIndex], MonitoringJson.Default.String) });
        }

        return Parallel.ForEachAsync(Enumerable.Range(0, PerPhase), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var row = rows[(offset + i) % rows.Count];
            var values = string.Join(',', keep.Select(c =>
            {
                var v = double.Parse(row[c], CultureInfo.InvariantCulture);
                return (Inflated.Contains(header[c]) ? v * scale : v).ToString("R", CultureInfo.InvariantCulture);
            }));
            using var content = new StringContent($"{{\"dataframe_split\": {{\"columns\": [{columns}], \"data\": [[{values}]]}}}}", Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/endpoints/{endpoint}/invocations", UriKind.Relative)) { Content = content };
            request.Headers.Add("x-request-id", $"{prefix}-{i}");
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        });
    }
}
