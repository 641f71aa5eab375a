using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Application.OpenLineage;
using Keel.Cli.Infrastructure;
using Keel.Training;

namespace Keel.Cli.Commands.Train;

/// <summary>
/// <c>keel train [SPEC.yaml] [--data FILE --label COL --task TASK ...]</c>: a shell over
/// <see cref="TrainingRunner"/>. Flags override the spec file's fields, so a spec can be reused
/// with a different seed or budget.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Exit code when the run trained but failed its fairness check and --fail-on-fairness was given.</summary>
    public const int FairnessFailed = ExitCodes.ChecksFailed;

    public static Command Create()
    {
        var spec = new Argument<string?>("spec") { Description = "Training spec (YAML). Optional when --data, --label and --task are given.", Arity = ArgumentArity.ZeroOrOne };
        var data = new Option<string?>("--data") { Description = "CSV file with a header row." };
        var label = new Option<string?>("--label") { Description = "Column to predict." };
        var task = new Option<string?>("--task") { Description = "binary, multiclass or regression." };
        var budget = new Option<double?>("--time-budget") { Description = "Search budget in seconds." };
        var trials = new Option<int?>("--trials") { Description = "Number of trials (default 20 without a time budget)." };
        var experiment = new Option<string?>("--experiment") { Description = "Experiment name (created when missing)." };
        var registerAs = new Option<string?>("--register-as") { Description = "Register the best model under this name." };
        var sensitive = new Option<string[]>("--sensitive") { Description = "Sensitive column for fairness (repeatable).", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int?>("--seed") { Description = "Seed of split, trial list and trainers (default 42)." };
        var metric = new Option<string?>("--metric") { Description = "Metric to optimise (auc, pr_auc, accuracy, f1, log_loss; macro_accuracy, micro_accuracy; rmse, mae, r2)." };
        var kfold = new Option<int?>("--kfold") { Description = "Use k-fold cross-validation with this many folds." };
        var timeColumn = new Option<string?>("--time-column") { Description = "Hold out the latest rows by this numeric column." };
        var holdout = new Option<double?>("--holdout") { Description = "Held-out fraction (default 0.2)." };
        var trainers = new Option<string[]>("--trainers") { Description = "Trainers to search: lightgbm fasttree fastforest sdca lbfgs.", AllowMultipleArgumentsPerToken = true };
        var parallelism = new Option<int?>("--parallelism") { Description = "Trials trained at once (default: processor count)." };
        var failOnFairness = new Option<bool>("--fail-on-fairness") { Description = $"Exit with code {FairnessFailed} when a fairness limit is breached." };
        var store = new StoreOptions();
        var command = new Command("train", "Train, tune and evaluate ML.NET models; log trials, metrics, explanations, fairness and the best model.")
        {
            spec, data, label, task, budget, trials, experiment, registerAs, sensitive, seed, metric, kfold, timeColumn, holdout, trainers, parallelism, failOnFairness,
        };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(spec);
            TrainingSpec built;
            if (path is not null)
            {
                built = TrainingSpecParser.Load(path);
            }
            else
            {
                built = new TrainingSpec
                {
                    Data = result.GetValue(data) ?? throw Core.Errors.KeelException.InvalidParameter("Give a spec file or --data, --label and --task."),
                    Label = result.GetValue(label) ?? throw Core.Errors.KeelException.InvalidParameter("Option '--label' is required without a spec file."),
                    Task = TrainingSpecParser.ParseTask(result.GetValue(task) ?? throw Core.Errors.KeelException.InvalidParameter("Option '--task' is required without a spec file."), "--task"),
                };
            }

            var validation = built.Validation;
            if (result.GetValue(kfold) is { } k)
            {
                validation = validation with { Kind = ValidationKind.KFold, Folds = k };
            }

            if (result.GetValue(timeColumn) is { } tc)
            {
                validation = validation with { Kind = ValidationKind.TimeOrdered, TimeColumn = tc };
            }

            if (result.GetValue(holdout) is { } h)
            {
                validation = validation with { Fraction = h };
            }

            built = built with
            {
                Data = path is not null && result.GetValue(data) is { } d ? d : built.Data,
                Label = path is not null && result.GetValue(label) is { } l ? l : built.Label,
                Task = path is not null && result.GetValue(task) is { } t ? TrainingSpecParser.ParseTask(t, "--task") : built.Task,
                TimeBudgetSeconds = result.GetValue(budget) ?? built.TimeBudgetSeconds,
                Trials = result.GetValue(trials) ?? built.Trials,
                Experiment = result.GetValue(experiment) ?? built.Experiment,
                RegisterAs = result.GetValue(registerAs) ?? built.RegisterAs,
                Sensitive = result.GetValue(sensitive) is { Length: > 0 } s ? s : built.Sensitive,
                Seed = result.GetValue(seed) ?? built.Seed,
                Metric = result.GetValue(metric) ?? built.Metric,
                Trainers = result.GetValue(trainers) is { Length: > 0 } tr ? tr : built.Trainers,
                Parallelism = result.GetValue(parallelism) ?? built.Parallelism,
                Validation = validation,
            };

            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var json = result.GetValue(store.Output) == OutputFormat.Json;
            if (Core.Data.DatasetUri.IsDatasetUri(built.Data))
            {
                // Train on a local checkout of the version the URI names now; the run records the version.
                await using var workflow = session.DataWorkflow();
                var (local, version) = await workflow.CheckoutAsync(built.Data, null, cancellationToken).ConfigureAwait(false);
                built = built with { Data = local, DatasetVersion = version };
            }

            var runner = new TrainingRunner(session.Tracking, session.Artifacts, session.Models());
            using var lineage = new OpenLineageEmitter(OpenLineageSettings.FromEnvironment());
            var started = DateTimeOffset.UtcNow;
            TrainingResult outcome;
            try
            {
                outcome = json
                    ? await runner.RunAsync(built, null, cancellationToken).ConfigureAwait(false)
                    : await TrainProgressView.RunAsync(runner, built, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (lineage.Enabled && e is not OperationCanceledException)
            {
                var failed = Guid.CreateVersion7();
                await lineage.EmitAsync(lineage.Events.RunEvent("START", failed, Job(built), [Input(lineage, built)], [], started), CancellationToken.None).ConfigureAwait(false);
                await lineage.EmitAsync(lineage.Events.RunEvent("FAIL", failed, Job(built), [Input(lineage, built)], [], DateTimeOffset.UtcNow, e.Message), CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            if (lineage.Enabled)
            {
                // Sent once the MLflow run id (the OpenLineage run id) is known; eventTime says when each happened.
                var runId = OpenLineageEvents.RunId(outcome.ParentRunId);
                await lineage.EmitAsync(lineage.Events.RunEvent("START", runId, Job(built), [Input(lineage, built)], [], started), cancellationToken).ConfigureAwait(false);
                var outputs = outcome.RegisteredVersion is { } registered && built.RegisterAs is { } model
                    ? new[] { lineage.Events.Model(model, long.Parse(registered, CultureInfo.InvariantCulture)) }
                    : [];
                await lineage.EmitAsync(lineage.Events.RunEvent("COMPLETE", runId, Job(built), [Input(lineage, built)], outputs, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
            }
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(outcome, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            }
            else
            {
                TrainSummary.Print(outcome, built, session.Description);
            }

            return !outcome.FairnessPassed && result.GetValue(failOnFairness) ? FairnessFailed : 0;
        });
        return command;
    }

    private static string Job(TrainingSpec spec) => "keel.train." + (spec.RegisterAs ?? spec.Experiment ?? spec.Label);

    private static System.Text.Json.Nodes.JsonObject Input(OpenLineageEmitter lineage, TrainingSpec spec) =>
        spec.DatasetVersion is { } version ? lineage.Events.Dataset(version) : lineage.Events.File(spec.Data);

    internal static string Score(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
