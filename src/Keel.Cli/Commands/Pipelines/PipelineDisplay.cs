using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Pipelines;

/// <summary>How pipelines, runs and plans look in a terminal: the DAG drawn as a tree, states in colour.</summary>
internal static class PipelineDisplay
{
    public static string State(string state) => state switch
    {
        "succeeded" => "[green]succeeded[/]",
        "cached" => "[blue]cached[/]",
        "running" => "[yellow]running[/]",
        "queued" => "[grey]queued[/]",
        "failed" => "[red]failed[/]",
        "cancelled" => "[red]cancelled[/]",
        "skipped" => "[grey]skipped[/]",
        _ => Markup.Escape(state),
    };

    /// <summary>The DAG as a tree from its roots; a step with several upstreams appears under each (marked after the first).</summary>
    public static Tree Dag(string title, IReadOnlyList<(string Name, IReadOnlyList<string> Upstream, string Label)> steps)
    {
        var tree = new Tree(title);
        var byName = steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var children = steps.ToDictionary(s => s.Name, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var s in steps)
        {
            foreach (var up in s.Upstream.Where(byName.ContainsKey))
            {
                children[up].Add(s.Name);
            }
        }

        var shown = new HashSet<string>(StringComparer.Ordinal);
        void Add(IHasTreeNodes parent, string name)
        {
            var first = shown.Add(name);
            var node = parent.AddNode(first ? byName[name].Label : $"{byName[name].Label} [grey](see above)[/]");
            if (first)
            {
                foreach (var child in children[name])
                {
                    Add(node, child);
                }
            }
        }

        foreach (var root in steps.Where(s => s.Upstream.Count == 0))
        {
            Add(tree, root.Name);
        }

        return tree;
    }

    public static void Pipeline(PipelineInfo p)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Pipeline[/]", Markup.Escape($"{p.Name} v{p.Version}"));
        if (p.Description is not null)
        {
            grid.AddRow("Description", Markup.Escape(p.Description));
        }

        grid.AddRow("Parameters", Markup.Escape(p.Params.Count == 0 ? "-" : string.Join(", ", p.Params.Select(kv => kv.Value is null ? $"{kv.Key} (required)" : $"{kv.Key}={kv.Value}"))));
        grid.AddRow("Concurrency", Markup.Escape($"{p.Concurrency} run(s) at a time{(p.DedupeKey is null ? string.Empty : $", dedupe key {p.DedupeKey}")}"));
        grid.AddRow("Triggers", p.Triggers.Count == 0 ? "manual only" : Markup.Escape(string.Join("; ", p.Triggers.Select(t => $"{t.Name}: {t.Summary}"))));
        grid.AddRow("Updated", Display.Time(p.UpdatedAt));
        AnsiConsole.Write(grid);
        AnsiConsole.Write(Dag("[bold]Steps[/]", [.. p.Steps.Select(s => (s.Name, (IReadOnlyList<string>)s.Upstream, Markup.Escape($"{s.Name} ({s.Type})") + (s.Retries > 0 ? $" [grey]retries {s.Retries}[/]" : string.Empty)))]));
    }

    public static void Run(PipelineRunResponse r)
    {
        var run = r.Run!;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Run[/]", $"{run.RunId} of {Markup.Escape(run.Pipeline)} v{run.PipelineVersion}: {State(run.State)}");
        grid.AddRow("Trigger", Markup.Escape(run.TriggerKind + (run.TriggerName is null ? string.Empty : $" ({run.TriggerName})") + (run.Actor is null ? string.Empty : $" by {run.Actor}")));
        if (run.Params.Count > 0)
        {
            grid.AddRow("Parameters", Markup.Escape(string.Join(", ", run.Params.Select(kv => $"{kv.Key}={kv.Value}"))));
        }

        grid.AddRow("Started", run.StartedAt is { } begun ? Display.Time(begun) : "-");
        grid.AddRow("Took", run.StartedAt is { } st ? Display.Duration(st, run.FinishedAt) : "-");
        if (run.MlflowRunId is not null)
        {
            grid.AddRow("MLflow run", Markup.Escape(run.MlflowRunId));
        }

        if (run.Error is not null)
        {
            grid.AddRow("Error", $"[red]{Markup.Escape(run.Error)}[/]");
        }

        AnsiConsole.Write(grid);
        AnsiConsole.Write(Dag("[bold]Steps[/]", [.. r.Steps.Select(s => (s.Step, (IReadOnlyList<string>)s.Upstream, StepLabel(s)))]));
        var outputs = r.Steps.Where(s => s.Outputs.Count > 0).ToList();
        if (outputs.Count > 0)
        {
            var table = new CliTable(CliColumn.Short("Step"), CliColumn.Short("Output"), CliColumn.Text("Value"));
            foreach (var s in outputs)
            {
                foreach (var (name, value) in s.Outputs)
                {
                    table.AddRow(Markup.Escape(s.Step), Markup.Escape(name), Markup.Escape(value));
                }
            }

            table.Write();
        }
    }

    private static string StepLabel(StepRunInfo s)
    {
        var label = $"{Markup.Escape(s.Step)} ({Markup.Escape(s.Type)}) {State(s.State)}";
        if (s.Attempt > 1)
        {
            label += $" [grey]try {s.Attempt}[/]";
        }

        if (s.StartedAt is { } start && s.FinishedAt is not null)
        {
            label += $" [grey]{Display.Duration(start, s.FinishedAt)}[/]";
        }

        if (s.CachedFrom is { } from)
        {
            label += $" [grey]from run {from}[/]";
        }

        if (s.Error is not null)
        {
            label += $" [red]{Markup.Escape(s.Error.Length > 160 ? s.Error[..160] + "…" : s.Error)}[/]";
        }

        return label;
    }
}
