using System.CommandLine;
using System.Text.Json.Nodes;
using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data diff FROM_URI TO_URI</c></summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var from = new Argument<string>("from") { Description = "The older version, e.g. datasets:/churn/3." };
        var to = new Argument<string>("to") { Description = "The newer version, e.g. datasets:/churn@latest." };
        var command = new Command("diff", "Compare two dataset versions: files added, removed and changed; for tables, columns and rows.") { from, to };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await using var workflow = session.DataWorkflow();
            var diff = await workflow.DiffAsync(result.GetValue(from)!, result.GetValue(to)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                Console.WriteLine(new JsonObject
                {
                    ["from"] = diff.From.Uri,
                    ["to"] = diff.To.Uri,
                    ["files"] = new JsonObject
                    {
                        ["added"] = new JsonArray([.. diff.Files.Added.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["size"] = f.Size })]),
                        ["removed"] = new JsonArray([.. diff.Files.Removed.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["size"] = f.Size })]),
                        ["changed"] = new JsonArray([.. diff.Files.Changed.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["old_size"] = f.OldSize, ["new_size"] = f.NewSize })]),
                        ["unchanged"] = diff.Files.UnchangedCount,
                    },
                    ["rows"] = new JsonObject { ["from"] = diff.From.RowCount, ["to"] = diff.To.RowCount, ["delta"] = diff.RowDelta },
                    ["columns"] = new JsonObject
                    {
                        ["added"] = new JsonArray([.. diff.AddedColumns.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.Type })]),
                        ["removed"] = new JsonArray([.. diff.RemovedColumns.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.Type })]),
                        ["type_changed"] = new JsonArray([.. diff.ChangedTypes.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["from"] = c.From, ["to"] = c.To })]),
                    },
                }.ToJsonString());
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"[bold]{diff.From.Uri}[/] → [bold]{diff.To.Uri}[/]");
            var table = new CliTable(CliColumn.Short(""), CliColumn.Uri("File"), CliColumn.Short("Size"));
            foreach (var f in diff.Files.Added)
            {
                table.AddRow("[green]+[/]", Markup.Escape(f.Path), Display.Bytes(f.Size));
            }

            foreach (var f in diff.Files.Removed)
            {
                table.AddRow("[red]-[/]", Markup.Escape(f.Path), Display.Bytes(f.Size));
            }

            foreach (var f in diff.Files.Changed)
            {
                table.AddRow("[yellow]~[/]", Markup.Escape(f.Path), $"{Display.Bytes(f.OldSize)} → {Display.Bytes(f.NewSize)}");
            }

            if (table.RowCount > 0)
            {
                table.Write();
            }

            AnsiConsole.MarkupLineInterpolated($"Files: {diff.Files.Added.Count} added, {diff.Files.Removed.Count} removed, {diff.Files.Changed.Count} changed, {diff.Files.UnchangedCount} unchanged.");
            if (diff.RowDelta is { } delta)
            {
                AnsiConsole.MarkupLineInterpolated($"Rows: {diff.From.RowCount:N0} → {diff.To.RowCount:N0} ({delta:+#,0;-#,0;0}).");
            }

            foreach (var (name, type) in diff.AddedColumns)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]+ column[/] {name} ({type})");
            }

            foreach (var (name, type) in diff.RemovedColumns)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]- column[/] {name} ({type})");
            }

            foreach (var (name, old, now) in diff.ChangedTypes)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]~ column[/] {name}: {old} → {now}");
            }

            return 0;
        });
        return command;
    }
}
