using System.Globalization;
using System.Text;
using Markdig;

namespace Keel.Training;

/// <summary>
/// The model card: facts Keel knows (data, configuration, search, metrics, fairness, top features,
/// reproducibility) and headed sections the author must fill (intended use, limitations), which
/// training cannot know and must not invent.
/// </summary>
internal static class ModelCard
{
    public static string Markdown(TrainingReport r)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var spec = r.Spec;
        s.Append(inv, $"# Model card: {spec.RegisterAs ?? spec.RunName ?? $"{spec.Label} ({spec.Task.ToString().ToLowerInvariant()})"}\n\n");
        s.Append(inv, $"Trained by `keel train`; best trainer **{r.Best.Trainer}** (trial {r.Best.Index}), optimising **{r.Metric}**.\n\n");

        s.Append("## Intended use\n\n_To be written by the model's author: the decisions it supports, its users, and uses that are out of scope._\n\n");
        s.Append("## Limitations and ethical considerations\n\n_To be written by the model's author: known failure modes, populations not represented in the data, risks._\n\n");

        s.Append("## Data\n\n");
        s.Append(inv, $"- File: `{Path.GetFileName(spec.Data)}`, {r.Source.Rows} rows, {r.Source.Columns.Count} columns\n");
        s.Append(inv, $"- Content hash: `{r.Source.Hash}`\n");
        s.Append(inv, $"- Label: `{spec.Label}`{(r.ClassNames.Count > 0 ? $" (classes: {string.Join(", ", r.ClassNames)})" : string.Empty)}\n");
        s.Append(inv, $"- Validation: {Validation(spec)}; {r.Splits.TrainRows} training rows, {r.Splits.ValidRows} held-out rows\n\n");
        s.Append("| column | role | distinct | missing |\n| --- | --- | --- | --- |\n");
        foreach (var c in r.Source.Columns)
        {
            var role = c.Name == spec.Label ? "label" : r.Source.Features.Contains(c) ? c.Role.ToString().ToLowerInvariant() : "unused";
            s.Append(inv, $"| {c.Name} | {role} | {(c.DistinctOverflow ? ">" + ColumnProfile.DistinctCap : c.Distinct.Count.ToString(inv))} | {c.Missing} |\n");
        }

        s.Append("\n## Configuration\n\n");
        s.Append(inv, $"- Task: {spec.Task.ToString().ToLowerInvariant()}; seed {spec.Seed}\n");
        s.Append(inv, $"- Search: {(spec.Trials is { } n ? $"{n} trials" : "no trial limit")}{(spec.TimeBudgetSeconds is { } b ? $", {b} s budget" : string.Empty)}; trainers: {string.Join(", ", TrainerCatalog.For(spec.Task, spec.Trainers))}\n");
        s.Append("- Best hyperparameters: ").AppendJoin(", ", r.Best.Hyperparameters.Select(kv => string.Create(inv, $"{kv.Key}={kv.Value:G4}"))).Append("\n\n");

        s.Append("## Search\n\n");
        var byState = r.Trials.GroupBy(t => t.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        s.Append(inv, $"{r.Trials.Count} trials in {r.SearchSeconds:F1} s ({string.Join(", ", byState)}), successive halving over random configurations.\n\n");
        s.Append("| trainer | trials | best full-budget score |\n| --- | --- | --- |\n");
        foreach (var g in r.Trials.GroupBy(t => t.Trainer).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var completed = g.Where(t => t.State == "completed").Select(t => t.Score).ToList();
            var best = completed.Count == 0 ? "-" : (TrainingMetrics.LowerIsBetter(r.Metric) ? completed.Min() : completed.Max()).ToString("F4", inv);
            s.Append(inv, $"| {g.Key} | {g.Count()} | {best} |\n");
        }

        s.Append("\n## Metrics (held-out)\n\n| metric | value |\n| --- | --- |\n");
        foreach (var (key, value) in r.Metrics.Where(kv => !kv.Key.StartsWith("class_", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            s.Append(inv, $"| {key} | {value:G5} |\n");
        }

        s.Append("\n## Top features (permutation importance)\n\n| feature | importance |\n| --- | --- |\n");
        foreach (var (key, value) in r.Importance.OrderByDescending(kv => kv.Value).Take(10))
        {
            s.Append(inv, $"| {key} | {value:G4} |\n");
        }

        s.Append("\n## Fairness\n\n");
        if (r.Fairness.Count == 0)
        {
            s.Append("No sensitive columns were named; fairness was not assessed.\n");
        }
        else
        {
            s.Append(r.Violations.Count == 0 ? "**Check passed.**\n\n" : "**Check failed:** " + string.Join("; ", r.Violations) + "\n\n");
            foreach (var f in r.Fairness)
            {
                s.Append(inv, $"### {f.Column}\n\n");
                s.Append("Gaps: ").AppendJoin(", ", f.Gaps.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:F4}"))).Append("\n\n");
                var keys = f.Groups[0].Metrics.Keys.ToList();
                s.Append("| group | ").AppendJoin(" | ", keys).Append(" |\n|").Append(string.Concat(Enumerable.Repeat(" --- |", keys.Count + 1))).Append('\n');
                foreach (var g in f.Groups)
                {
                    s.Append(inv, $"| {g.Group} | ").AppendJoin(" | ", keys.Select(k => g.Metrics[k].ToString("G4", inv))).Append(" |\n");
                }

                s.Append('\n');
            }
        }

        s.Append("\n## Reproducibility\n\n");
        s.Append(inv, $"- Seed {spec.Seed}; dataset `{r.Source.Hash}`\n");
        s.Append(inv, $"- Git commit: {r.Repro.GitCommit ?? "(not in a git work tree)"}{(r.Repro.GitDirty == true ? " (uncommitted changes)" : string.Empty)}\n");
        s.Append(inv, $"- .NET {r.Repro.Dotnet}; ").AppendJoin(", ", r.Repro.Packages.Select(kv => $"{kv.Key} {kv.Value}")).Append('\n');
        return s.ToString();
    }

    public static string Html(string markdown)
    {
        var pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Model card</title>"
            + "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}</style>"
            + "</head><body>\n" + Markdig.Markdown.ToHtml(markdown, pipeline) + "</body></html>\n";
    }

    private static string Validation(TrainingSpec spec) => spec.Validation.Kind switch
    {
        ValidationKind.KFold => $"{spec.Validation.Folds}-fold cross-validation",
        ValidationKind.TimeOrdered => string.Create(CultureInfo.InvariantCulture, $"time-ordered by `{spec.Validation.TimeColumn}`, latest {spec.Validation.Fraction:P0} held out"),
        _ => string.Create(CultureInfo.InvariantCulture, $"random holdout of {spec.Validation.Fraction:P0}"),
    };
}
