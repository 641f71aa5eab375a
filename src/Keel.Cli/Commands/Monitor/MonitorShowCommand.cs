using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Monitor;

/// <summary>
/// <c>keel monitor show ENDPOINT [--window 1h | --count N] [--from T] [--to T]</c>: an endpoint's
/// monitoring figures per window as a table with sparklines (traffic, errors, p99, drift share,
/// prediction drift, quality), then the drifted columns of the newest window; <c>--output json</c>
/// prints the API's document.
/// </summary>
internal static class MonitorShowCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint's name." };
        var window = new Option<string?>("--window", "-w") { Description = "Window length, a multiple of the server's bucket: 5m, 1h, 1d. Default: one bucket." };
        var count = new Option<long?>("--count") { Description = "Windows by count instead: consecutive buckets merged until they hold this many requests." };
        var from = new Option<string?>("--from") { Description = "Range start, ISO-8601 or Unix ms. Default: 24 windows (or a day) before --to." };
        var to = new Option<string?>("--to") { Description = "Range end, ISO-8601 or Unix ms. Default: now." };
        var command = new Command("show", "Show an endpoint's traffic, errors, latency, drift and quality per window, with sparklines.") { endpoint, window, count, from, to };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var report = await ReadAsync(session, result.GetValue(endpoint)!, result.GetValue(window), result.GetValue(count), result.GetValue(from), result.GetValue(to), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, MonitoringJson.Default.MonitoringReport));
            }
            else
            {
                Print(report);
            }

            return 0;
        });
        return command;
    }

    internal static async Task<MonitoringReport> ReadAsync(StoreSession session, string endpoint, string? window, long? count, string? from, string? to, CancellationToken cancellationToken)
    {
        if (session.Store is KeelClient client)
        {
            return await client.GetMonitoringAsync(endpoint, window, count, Time(from, "--from"), Time(to, "--to"), cancellationToken).ConfigureAwait(false);
        }

        var service = session.MonitoringService() ?? throw KeelException.InvalidParameter("Monitoring needs a Keel server or a backend store; give --tracking-uri.");
        return await service.ReportAsync(endpoint, window, from, to, count, cancellationToken).ConfigureAwait(false);
    }

    internal static void Print(MonitoringReport report)
    {
        var windows = report.Windows;
        AnsiConsole.MarkupLineInterpolated($"[bold]{report.Endpoint}[/]: {windows.Count} window(s) of {report.Window} from {report.From:yyyy-MM-dd HH:mm:ss} to {report.To:yyyy-MM-dd HH:mm:ss} UTC (buckets of {report.BucketSeconds} s)");
        if (windows.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]No traffic in this range yet. Send requests to the endpoint; buckets are computed a little after they close.[/]");
            return;
        }

        var metric = QualityMetric(windows);
        var table = new CliTable(
            CliColumn.Short("window (UTC)", priority: 9), CliColumn.Number("traffic", priority: 8), CliColumn.Number("errors", priority: 6),
            CliColumn.Number("p99 ms", priority: 4), CliColumn.Number("drift", priority: 7), CliColumn.Number("pred. drift", priority: 5));
        if (metric is not null)
        {
            table.AddColumn(CliColumn.Number(Markup.Escape(metric), priority: 7));
        }

        foreach (var w in windows)
        {
            var cells = new List<string>
            {
                Markup.Escape(w.Start.ToString(w.End - w.Start >= TimeSpan.FromDays(1) ? "yyyy-MM-dd" : "MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                w.Traffic.ToString("N0", CultureInfo.InvariantCulture),
                w.ErrorRate is { } e ? Percent(e) : "",
                w.LatencyMs?.P99.ToString("0.0", CultureInfo.InvariantCulture) ?? "",
                w.Drift is { } d ? (d.DatasetDrift ? $"[red]{d.NumberOfDriftedColumns}/{d.NumberOfColumns}[/]" : $"{d.NumberOfDriftedColumns}/{d.NumberOfColumns}") : "",
                w.PredictionDrift is { } p ? (p.DriftDetected ? $"[red]{Score(p.DriftScore)}[/]" : Score(p.DriftScore)) : "",
            };
            if (metric is not null)
            {
                cells.Add(w.Quality?.Metrics.TryGetValue(metric, out var q) == true ? Score(q) : "");
            }

            table.AddRow(cells.ToArray());
        }

        table.Write();
        Spark("traffic", windows.Select(w => (double)w.Traffic));
        Spark("drift share", windows.Select(w => w.Drift?.ShareOfDriftedColumns ?? double.NaN));
        if (metric is not null)
        {
            Spark(metric, windows.Select(w => w.Quality?.Metrics.GetValueOrDefault(metric, double.NaN) ?? double.NaN));
        }

        if (windows[^1].Drift is { NumberOfDriftedColumns: > 0 } last)
        {
            AnsiConsole.MarkupLine($"Drifted columns in the newest window ({Markup.Escape(last.Reference ?? "reference")}):");
            foreach (var c in last.Columns.Where(c => c.DriftDetected).OrderByDescending(c => c.DriftScore))
            {
                AnsiConsole.MarkupLineInterpolated($"  {c.Column} ({c.ColumnType}): {c.Stattest} {Score(c.DriftScore)} (threshold {Score(c.Threshold)}{(c.Exact ? "" : ", from binned summaries")})");
            }
        }

        var labels = report.Labels;
        AnsiConsole.MarkupLineInterpolated($"Labels: {labels.Labels:N0} received, {labels.Matched:N0} matched, {labels.Unmatched:N0} unmatched, {labels.Replaced:N0} replaced.");
    }

    private static void Spark(string name, IEnumerable<double> values)
    {
        var line = Sparkline.Render([.. values], 48);
        if (line.Length > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"{name,-12} {line}");
        }
    }

    // The quality column: accuracy for classifiers, RMSE for regressors, when labels arrived.
    private static string? QualityMetric(IReadOnlyList<MonitoringWindowFigures> windows)
    {
        var metrics = windows.Where(w => w.Quality is not null).SelectMany(w => w.Quality!.Metrics.Keys).ToHashSet(StringComparer.Ordinal);
        return metrics.Contains("accuracy") ? "accuracy" : metrics.Contains("rmse") ? "rmse" : null;
    }

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Score(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(string? text, string option) =>
        text is null ? null : Keel.Application.Monitoring.WindowLength.Time(text, option);
}
