using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Core.Wire;
using Keel.ML.Batch;
using Spectre.Console;

namespace Keel.Cli.Commands.Monitor;

/// <summary>
/// <c>keel monitor feedback FILE --endpoint NAME</c>: sends delayed labels from a CSV file (columns
/// <c>request_id</c> and <c>label</c>, or the ones named) or JSON Lines (<c>{"request_id": ..., "label": ...}</c>
/// per line), in batches, showing progress, and prints how many matched a logged prediction.
/// </summary>
internal static class MonitorFeedbackCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var file = new Argument<string>("file") { Description = "CSV with request_id and label columns, or JSON Lines of {\"request_id\": ..., \"label\": ...}." };
        var endpoint = new Option<string>("--endpoint", "-e") { Description = "The endpoint whose predictions the labels belong to.", Required = true };
        var idColumn = new Option<string>("--id-column") { Description = "CSV column holding the request id.", DefaultValueFactory = _ => "request_id" };
        var labelColumn = new Option<string>("--label-column") { Description = "CSV column holding the label.", DefaultValueFactory = _ => "label" };
        var batch = new Option<int>("--batch") { Description = "Labels per request to the server (1-100000).", DefaultValueFactory = _ => 50_000 };
        var command = new Command("feedback", "Send delayed ground-truth labels, joined to logged predictions by request id.") { file, endpoint, idColumn, labelColumn, batch };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var size = result.GetValue(batch);
            if (size is < 1 or > Keel.Application.Monitoring.MonitoringService.MaxLabelsPerCall)
            {
                throw KeelException.InvalidParameter($"Invalid --batch {size}: it must be between 1 and {Keel.Application.Monitoring.MonitoringService.MaxLabelsPerCall:N0}.");
            }

            var path = result.GetValue(file)!;
            var items = Read(path, result.GetValue(idColumn)!, result.GetValue(labelColumn)!);
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var name = result.GetValue(endpoint)!;
            var local = session.Store is KeelClient ? null : session.MonitoringService();
            long received = 0, replaced = 0, matched = 0, unmatched = 0;
            await (result.GetValue(store.Output) == OutputFormat.Json ? CliConsole.Error() : AnsiConsole.Console).Progress().AutoClear(true).StartAsync(async progress =>
            {
                var task = progress.AddTask($"Sending {items.Count:N0} labels to {name}", maxValue: Math.Max(1, items.Count));
                for (var start = 0; start < items.Count; start += size)
                {
                    var request = new FeedbackRequest { Labels = [.. items.Skip(start).Take(size)] };
                    var outcome = session.Store is KeelClient client
                        ? await client.SendFeedbackAsync(name, request, cancellationToken).ConfigureAwait(false)
                        : await (local ?? throw KeelException.InvalidParameter("Feedback needs a Keel server or a backend store; give --tracking-uri.")).AddFeedbackAsync(name, request, cancellationToken).ConfigureAwait(false);
                    received += outcome.Received;
                    replaced += outcome.Replaced;
                    matched += outcome.Matched;
                    unmatched += outcome.Unmatched;
                    task.Increment(request.Labels.Count);
                }
            }).ConfigureAwait(false);
            var total = new FeedbackOutcome(received, replaced, matched, unmatched);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(total, MonitoringJson.Default.FeedbackOutcome));
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"Sent {received:N0} labels to [bold]{name}[/]: {matched:N0} matched a logged prediction, {unmatched:N0} not yet (kept, joined when their prediction is), {replaced:N0} replaced an earlier label.");
            }

            return 0;
        });
        return command;
    }

    internal static List<FeedbackItem?> Read(string path, string idColumn, string labelColumn)
    {
        if (!File.Exists(path))
        {
            throw KeelException.NotFound($"No file {path}.");
        }

        var items = new List<FeedbackItem?>();
        using var reader = new StreamReader(path);
        var first = reader.ReadLine() ?? throw KeelException.InvalidParameter($"Invalid {path}: it is empty.");
        if (first.TrimStart().StartsWith('{'))
        {
            var line = first;
            var number = 1;
            do
            {
                if (line.Trim().Length > 0)
                {
                    try
                    {
                        items.Add(JsonSerializer.Deserialize(line, MonitoringJson.Default.FeedbackItem));
                    }
                    catch (JsonException e)
                    {
                        throw KeelException.InvalidParameter($"Invalid {path} line {number}: not a JSON object ({e.Message}).");
                    }
                }

                number++;
            }
            while ((line = reader.ReadLine()) is not null);
            return items;
        }

        var header = CsvFields.Split(first);
        var id = header.IndexOf(idColumn);
        var label = header.IndexOf(labelColumn);
        if (id < 0 || label < 0)
        {
            throw KeelException.InvalidParameter($"Invalid {path}: the CSV header must name the {idColumn} and {labelColumn} columns (--id-column, --label-column); it has {string.Join(", ", header)}.");
        }

        while (reader.ReadLine() is { } row)
        {
            if (row.Length == 0)
            {
                continue;
            }

            var fields = CsvFields.Split(row);
            var value = label < fields.Count ? fields[label] : string.Empty;
            items.Add(new FeedbackItem
            {
                RequestId = id < fields.Count ? fields[id] : null,
                // As text: a regressor's labels are read as numbers, a classifier's compared with the predicted class's text.
                Label = value.Length == 0 ? null : JsonSerializer.SerializeToElement(value, MonitoringJson.Default.String),
            });
        }

        return items;
    }
}
