using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Runs;

/// <summary><c>keel runs compare RUN_ID RUN_ID...</c>: params and latest metrics side by side; differing rows highlighted.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var runIds = new Argument<string[]>("run-ids") { Description = "Two or more run ids.", Arity = new ArgumentArity(2, 100) };

        var command = new Command("compare", "Compare runs side by side.") { runIds };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var runs = new List<Run>();
            foreach (var id in result.GetValue(runIds) ?? [])
            {
                runs.Add(await session.Tracking.GetRunAsync(id, cancellationToken).ConfigureAwait(false));
            }

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(new SearchRunsResponse { Runs = runs.Select(r => r.ToDto()).ToList() }, WireJson.Default.SearchRunsResponse);
                return 0;
            }

            var table = new CliTable(CliColumn.Short(string.Empty));
            foreach (var run in runs)
            {
                table.AddColumn(new CliColumn($"[bold]{Markup.Escape(run.Info.RunName)}[/]\n[grey]{Markup.Escape(run.Info.RunId[..Math.Min(8, run.Info.RunId.Length)])}[/]", ColumnKind.Text, Alignment: Justify.Right));
            }

            table.AddRow(["[underline]status[/]", .. runs.Select(r => ListCommand.StatusMarkup(r.Info.Status))]);
            AddSection(table, "params", runs.Select(r => r.Data.Params.ToDictionary(p => p.Key, p => p.Value)).ToList());
            AddSection(table, "metrics", runs.Select(r => r.Data.Metrics.ToDictionary(m => m.Key, m => Display.Number(m.Value))).ToList());
            table.Write();
            AnsiConsole.MarkupLine("[yellow]Yellow[/] rows differ between runs.");
            return 0;
        });
        return command;
    }

    private static void AddSection(CliTable table, string title, IReadOnlyList<Dictionary<string, string>> values)
    {
        var keys = values.SelectMany(v => v.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        table.AddEmptyRow();
        table.AddRow([$"[underline]{title}[/]", .. values.Select(_ => "")]);
        foreach (var key in keys)
        {
            var cells = values.Select(v => v.GetValueOrDefault(key)).ToList();
            var differs = cells.Distinct().Count() > 1;
            var style = differs ? "yellow" : "default";
            table.AddRow([$"[{style}]{Markup.Escape(key)}[/]", .. cells.Select(c => $"[{style}]{Markup.Escape(c ?? "-")}[/]")]);
        }
    }
}
