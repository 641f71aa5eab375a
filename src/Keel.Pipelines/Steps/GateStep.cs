using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Application.Pipelines;
using Keel.Compute.Gates;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Data.Tables;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>gate</c>: judges a challenger against the champion on one frozen evaluation dataset version.
/// Both models score the same rows here; <see cref="GateEvaluator"/> then applies the policy (per
/// metric direction, bound, allowed regression, slices with minimum support, fairness limits, a
/// latency budget, and McNemar / DeLong / paired bootstrap significance). The report (every figure,
/// the dataset version and digest, both models) is stored as an artifact of the step's run. A
/// champion that does not resolve (no alias yet) makes this the first model, judged by the policy's
/// first-model rule. A rejection fails the step (so nothing downstream registers or deploys) unless
/// <c>fail_on_reject: false</c>. Never cached: the champion is a moving reference read when it runs.
/// </summary>
internal sealed class GateStep(PipelineServices services) : IStepType
{
    private static readonly string[] PolicyKeys =
    [
        "metrics", "first_model", "missing_champion_metric", "alpha", "require_significance", "bootstrap_resamples", "bootstrap_seed", "confidence", "threshold",
        "slices", "fairness", "latency",
    ];

    private static readonly string[] Known = [.. PolicyKeys, "champion", "label", "task", "positive_class", "fail_on_reject"];

    public string Name => "gate";

    public int Version => 1;

    public string Summary => "Champion vs challenger on one frozen evaluation set: per-metric bounds and allowed regressions, slices, fairness, latency, significance (McNemar, DeLong, paired bootstrap).";

    public bool Cacheable => false;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
    [
        new("challenger", PipelineValueKind.Model, Description: "The model to judge."),
        new("dataset", PipelineValueKind.Dataset, Description: "The frozen evaluation data, with the label column."),
    ];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
    [
        new("decision", PipelineValueKind.Value, Description: "pass or fail."),
        new("report", PipelineValueKind.Report, Description: "The gate report (JSON): every check and figure, the dataset and both models."),
        new("champion", PipelineValueKind.Value, Description: "The champion judged against (models:/NAME/N), or none."),
    ];

    public void Validate(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        StepParams.Check(step, Known, "label");
        StepParams.Choice(step, step.Params, "task", "binary", "multiclass", "regression");
        StepParams.Bool(step, step.Params, "fail_on_reject", true);
        if (!Templated(step.Params))
        {
            Policy(step, step.Params);
        }
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        var field = $"Step '{step.Name}' (gate)";
        var policy = Policy(step, context.Params);
        var label = StepParams.String(step, context.Params, "label")!;
        var files = new StepArtifacts(services, context);
        var challengerUri = context.Inputs["challenger"];
        using var challenger = (await services.Models.LoadAsync(challengerUri, cancellationToken).ConfigureAwait(false)).Model;
        var flavor = challenger.Manifest.MlNet;
        var task = StepParams.Choice(step, context.Params, "task", "binary", "multiclass", "regression") ?? flavor?.Task?.ToLowerInvariant()
            ?? throw KeelException.InvalidParameter($"{field}: the model does not record its task; give parameter 'task'.");

        string? championUri = null;
        Keel.ML.IModel? champion = null;
        if (StepParams.String(step, context.Params, "champion") is { Length: > 0 } wanted)
        {
            try
            {
                var loaded = await services.Models.LoadAsync(wanted, cancellationToken).ConfigureAwait(false);
                champion = loaded.Model;
                championUri = loaded.Resolved.Version is { } v ? $"models:/{v.Name}/{v.Version}" : wanted;
                context.Log($"champion {wanted} is {championUri}");
            }
            catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
            {
                context.Log($"champion {wanted} does not resolve ({e.Message}): judging as the first model");
            }
        }

        try
        {
            var (local, version) = await files.InputAsync("dataset", cancellationToken).ConfigureAwait(false);
            var (challengerSet, challengerMs, table) = await ScoreAsync(challenger, local, files.Folder("challenger"), task, label, step, context, field, cancellationToken).ConfigureAwait(false);
            EvaluationSet? championSet = null;
            double championMs = 0;
            if (champion is not null)
            {
                (championSet, championMs, _) = await ScoreAsync(champion, local, files.Folder("champion"), task, label, step, context, field, cancellationToken).ConfigureAwait(false);
                if (!championSet.Rows.SequenceEqual(challengerSet.Rows))
                {
                    throw KeelException.InvalidParameter($"{field}: the two models were not scored on the same rows.");
                }
            }

            var inputs = new GateInputs
            {
                Policy = policy,
                Task = task switch { "binary" => GateTask.Binary, "multiclass" => GateTask.Multiclass, _ => GateTask.Regression },
                Labels = Labels(challengerSet, task),
                ChallengerPredictions = Predictions(challengerSet, task),
                ChampionPredictions = championSet is null ? null : Predictions(championSet, task),
                ClassNames = task == "multiclass" ? challengerSet.Classes : null,
                SliceColumns = Columns(table, challengerSet, policy.Slices.Select(s => s.Column)),
                SensitiveColumns = Columns(table, challengerSet, policy.Fairness.Select(f => f.Column)),
                ChallengerLatenciesMs = [challengerMs],
                ChampionLatenciesMs = championSet is null ? null : [championMs],
            };
            GateReport report;
            try
            {
                report = GateEvaluator.Evaluate(inputs);
            }
            catch (ArgumentException e)
            {
                throw KeelException.InvalidParameter($"{field}: {e.Message}");
            }

            var document = new JsonObject
            {
                ["decision"] = report.Passed ? "pass" : "fail",
                ["challenger"] = challengerUri,
                ["champion"] = championUri,
                ["dataset"] = context.Inputs["dataset"],
                ["dataset_digest"] = version?.ManifestDigest,
                ["label"] = label,
                ["task"] = task,
                ["pipeline"] = context.Pipeline,
                ["pipeline_run_id"] = context.RunId,
                ["latency_note"] = "latencies are the mean scoring time per row over the evaluation set, measured in this step",
                ["gate"] = JsonNode.Parse(report.ToJson()),
            };
            var reportUri = await files.PublishTextAsync(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "gate/gate_report.json", cancellationToken).ConfigureAwait(false);
            foreach (var check in report.Checks)
            {
                context.Log($"{check.Status,-20} {check.Kind} {check.Name}{(check.SliceValue is null ? string.Empty : $" [{check.Column}={check.SliceValue}]")}: {check.Reason}");
            }

            context.Log($"decision: {(report.Passed ? "pass" : "fail")}; report {reportUri}");
            var failOnReject = StepParams.Bool(step, context.Params, "fail_on_reject", true);
            if (!report.Passed && failOnReject)
            {
                throw new GateRejectedException($"the challenger failed the gate ({string.Join("; ", report.Reasons)}); report {reportUri}");
            }

            var metrics = new Dictionary<string, double> { ["gate_passed"] = report.Passed ? 1 : 0, ["gate_checks_failed"] = report.Checks.Count(c => c.Passed == false) };
            foreach (var (name, value) in report.ChallengerMetrics)
            {
                metrics[$"challenger_{name}"] = value;
            }

            foreach (var (name, value) in report.ChampionMetrics ?? new Dictionary<string, double>())
            {
                metrics[$"champion_{name}"] = value;
            }

            return new StepOutcome(
                new Dictionary<string, string> { ["decision"] = report.Passed ? "pass" : "fail", ["report"] = reportUri, ["champion"] = championUri ?? "none" }, metrics);
        }
        finally
        {
            champion?.Dispose();
        }
    }

    private static async Task<(EvaluationSet Set, double MsPerRow, ColumnarTable Table)> ScoreAsync(
        Keel.ML.IModel model, string local, string folder, string task, string label, StepDefinition step, StepContext context, string field, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var rows = await StepScoring.ScoreAsync(model, local, folder, cancellationToken).ConfigureAwait(false);
        var ms = watch.Elapsed.TotalMilliseconds / Math.Max(1, rows);
        var table = await ColumnarTable.ReadAsync(folder, null, cancellationToken).ConfigureAwait(false);
        var set = EvaluationSet.Read(table, task, label, model.Manifest.MlNet?.LabelValues ?? [], StepParams.String(step, context.Params, "positive_class"), field);
        if (set.Count == 0)
        {
            throw KeelException.InvalidParameter($"{field}: no row of the dataset has a label in column '{label}'.");
        }

        return (set, ms, table);
    }

    private static double[] Labels(EvaluationSet set, string task) => task switch
    {
        "binary" => [.. set.Labels.Select(l => l == set.Positive ? 1.0 : 0.0)],
        "multiclass" => [.. set.Labels.Select(l => (double)IndexOf(set.Classes, l))],
        _ => [.. set.Labels.Select(l => double.Parse(l, CultureInfo.InvariantCulture))],
    };

    private static int IndexOf(IReadOnlyList<string> classes, string label)
    {
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i] == label)
            {
                return i;
            }
        }

        return -1;
    }

    private static double[] Predictions(EvaluationSet set, string task) => task == "multiclass" ? set.Probabilities : set.Scores;

    private static Dictionary<string, IReadOnlyList<string>> Columns(ColumnarTable table, EvaluationSet set, IEnumerable<string> names)
    {
        var columns = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (!table.Names.Contains(name))
            {
                // The evaluator reports a missing column as a failed check naming it.
                continue;
            }

            var values = EvaluationSet.Text(table, name);
            columns[name] = [.. set.Rows.Select(r => values[r] ?? string.Empty)];
        }

        return columns;
    }

    private static bool Templated(JsonElement parameters) => parameters.GetRawText().Contains("${", StringComparison.Ordinal);

    /// <summary>The policy part of the parameters, read with the gate's own JSON rules (unknown keys refused).</summary>
    private static GatePolicy Policy(StepDefinition step, JsonElement parameters)
    {
        var policy = new JsonObject();
        foreach (var p in parameters.EnumerateObject().Where(p => PolicyKeys.Contains(p.Name)))
        {
            policy[p.Name] = JsonNode.Parse(p.Value.GetRawText());
        }

        try
        {
            return JsonSerializer.Deserialize(policy.ToJsonString(), GateJson.Default.GatePolicy) ?? new GatePolicy();
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"Step '{step.Name}' (gate): the gate policy is not valid at '{e.Path}': {e.Message}");
        }
    }
}
