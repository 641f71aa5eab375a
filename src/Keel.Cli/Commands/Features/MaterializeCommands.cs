using System.CommandLine;
using System.Globalization;
using Keel.Application.Features;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Hosting;
using Spectre.Console;

namespace Keel.Cli.Commands.Features;

/// <summary>
/// <c>keel features materialize [--views a,b] [--start T] [--end T]</c>: copies views into the
/// online store for the window (start, end] (Feast's <c>materialize</c>).
/// </summary>
internal static class MaterializeCommand
{
    public static Command Create()
    {
        var options = new MaterializeOptions();
        var start = new Option<string?>("--start") { Description = "Exclusive start of the window (ISO 8601, UTC unless an offset is given). Default: from the beginning." };
        var command = new Command("materialize", "Copy the latest feature row per entity in the window (start, end] into the online store.") { start };
        options.AddTo(command);
        command.SetAsyncAction((result, cancellationToken) =>
        {
            var from = result.GetValue(start) is { } s ? MaterializeJobHandler.ParseTime(s, "--start") : (DateTimeOffset?)null;
            return options.RunAsync(result, incremental: false, from, cancellationToken);
        });
        return command;
    }
}

/// <summary>
/// <c>keel features materialize-incremental [--end T]</c>: from each view's watermark, less the
/// late-data overlap, to end (Feast's <c>materialize-incremental</c>).
/// </summary>
internal static class MaterializeIncrementalCommand
{
    public static Command Create()
    {
        var options = new MaterializeOptions();
        var command = new Command("materialize-incremental", "Copy what is new in each online view since its last materialization into the online store.");
        options.AddTo(command);
        command.SetAsyncAction((result, cancellationToken) => options.RunAsync(result, incremental: true, null, cancellationToken));
        return command;
    }
}

/// <summary>The options both materialize commands share, and the run.</summary>
internal sealed class MaterializeOptions
{
    private readonly StoreOptions _store = new();
    private readonly Option<string?> _views = new("--views") { Description = "Comma-separated views. Default: every view with online: true." };
    private readonly Option<string?> _end = new("--end") { Description = "Inclusive end of the window (ISO 8601). Default: now." };
    private readonly Option<string?> _overlap = new("--overlap") { Description = "How far before the watermark an incremental run starts again, for late rows (e.g. 30m, 1h, 0). Default: 1h." };
    private readonly Option<int> _chunk = new("--chunk-size") { Description = "Rows read and written per chunk.", DefaultValueFactory = _ => Materializer.DefaultChunkSize };
    private readonly Option<string?> _onlineStore = new("--online-store") { Description = "The online store: sqlite:///path or redis://host:port[/db]. Default: KEEL_ONLINE_STORE, else online.db in the data directory." };

    public void AddTo(Command command)
    {
        command.Add(_views);
        command.Add(_end);
        command.Add(_overlap);
        command.Add(_chunk);
        command.Add(_onlineStore);
        _store.AddTo(command);
    }

    public async Task<int> RunAsync(ParseResult result, bool incremental, DateTimeOffset? start, CancellationToken cancellationToken)
    {
        var end = result.GetValue(_end) is { } e ? MaterializeJobHandler.ParseTime(e, "--end") : (DateTimeOffset?)null;
        var overlap = result.GetValue(_overlap) is { } o ? MaterializeJobHandler.ParseDuration(o, "--overlap") : (TimeSpan?)null;
        var views = result.GetValue(_views)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        await using var session = await StoreSession.OpenAsync(result.GetValue(_store.TrackingUri), result.GetValue(_store.DataDir), throughServer: false, cancellationToken).ConfigureAwait(false);
        var backend = session.Backend ?? throw KeelException.InvalidParameter(
            "Materialization reads the feature registry and the sources directly: give --data-dir or a backend store URI (--tracking-uri postgresql://...), "
            + $"or enqueue a {MaterializeJobHandler.Kind} job for keel worker.");
        await using var store = await OnlineStoreBackend.OpenAsync(result.GetValue(_onlineStore), session.DataDir).ConfigureAwait(false);
        await using var workflow = session.DataWorkflow();
        var materializer = new Materializer(
            FeatureHosting.Registry(backend), store,
            FeatureHosting.RowSource(async (uri, ct) => (await workflow.CheckoutAsync(uri, null, ct).ConfigureAwait(false)).LocalPath));
        var json = result.GetValue(_store.Output) == OutputFormat.Json;
        var progress = json ? null : new Progress<MaterializeProgress>(p =>
            AnsiConsole.MarkupLineInterpolated($"[grey]{p.View}: {p.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows ({p.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} rows/s)[/]"));
        var results = await materializer.RunAsync(
            new MaterializeRequest(views, start, end, incremental, overlap, result.GetValue(_chunk)), progress, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                results.Select(r => new Dictionary<string, object?>
                {
                    ["view"] = r.View, ["version"] = r.Version, ["start"] = r.Start?.ToString("O", CultureInfo.InvariantCulture), ["end"] = r.End.ToString("O", CultureInfo.InvariantCulture),
                    ["rows"] = r.Rows, ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3), ["skipped"] = r.Skipped,
                }).ToList(),
                MaterializeJson.Default.ListDictionaryStringObject));
            return 0;
        }

        AnsiConsole.MarkupLineInterpolated($"Online store: {store.Description}");
        var table = new CliTable(CliColumn.Short("View", priority: 9), CliColumn.Number("Version", priority: 8), CliColumn.Text("Window", priority: 6), CliColumn.Number("Rows", priority: 7), CliColumn.Number("Rows/s", priority: 4), CliColumn.Short("Watermark", priority: 5));
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.View), r.Version.ToString(CultureInfo.InvariantCulture),
                Markup.Escape($"({r.Start?.ToString("u", CultureInfo.InvariantCulture) ?? "beginning"}, {r.End.ToString("u", CultureInfo.InvariantCulture)}]"),
                r.Skipped is { } why ? Markup.Escape(why) : r.Rows.ToString("N0", CultureInfo.InvariantCulture),
                r.Skipped is null ? r.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture) : string.Empty,
                r.State is { } st ? DateTimeOffset.FromUnixTimeMilliseconds(st.Watermark).ToString("u", CultureInfo.InvariantCulture) : string.Empty);
        }

        table.Write();
        return 0;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(List<Dictionary<string, object?>>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class MaterializeJson : System.Text.Json.Serialization.JsonSerializerContext
{
}
