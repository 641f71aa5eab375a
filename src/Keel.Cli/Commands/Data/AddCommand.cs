using System.CommandLine;
using System.Diagnostics;
using Keel.Cli.Infrastructure;
using Keel.Core.Wire;
using Keel.Data.Validation;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data add PATH --name NAME [--description TEXT] [--suite SUITE.json] [--report FILE]</c></summary>
internal static class AddCommand
{
    /// <summary>Exit code when the dataset's suite refused the content.</summary>
    public const int Refused = ExitCodes.ChecksFailed;

    public static Command Create()
    {
        var store = new StoreOptions();
        var path = new Argument<string>("path") { Description = "A file or a directory of files (CSV, Parquet, JSON Lines are profiled; anything else is kept as opaque files)." };
        var name = new Option<string>("--name", "-n") { Description = "Dataset name (created with its first version).", Required = true };
        var description = new Option<string?>("--description") { Description = "What the dataset is (set on the dataset)." };
        var suite = new Option<string?>("--suite") { Description = "A Great Expectations suite (JSON) that gates this and later versions: a failed critical expectation refuses the content." };
        var report = new Option<string?>("--report") { Description = "Write the gating suite's HTML report here." };
        var command = new Command("add", "Add a file or folder as the next version of a dataset; recorded only when the content changed.") { path, name, description, suite, report };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var suiteJson = result.GetValue(suite) is { } suitePath ? await DataInputs.ReadSuiteTextAsync(suitePath, cancellationToken).ConfigureAwait(false) : null;
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await using var workflow = session.DataWorkflow();
            var json = result.GetValue(store.Output) == OutputFormat.Json;
            var clock = Stopwatch.StartNew();
            var source = result.GetValue(path)!;
            var outcome = await ContentProgressView.RunAsync(
                $"Adding {Path.GetFileName(Path.TrimEndingDirectorySeparator(source))}",
                json,
                progress => workflow.AddAsync(source, result.GetValue(name)!, result.GetValue(description), Environment.UserName, progress, cancellationToken, suiteJson)).ConfigureAwait(false);

            if (outcome.Validation is { } validation && result.GetValue(report) is { } reportPath)
            {
                await File.WriteAllTextAsync(reportPath, ValidationReport.ToHtml(validation, $"{result.GetValue(name)}: {source}"), cancellationToken).ConfigureAwait(false);
            }

            if (json)
            {
                Console.WriteLine(new System.Text.Json.Nodes.JsonObject
                {
                    ["version"] = outcome.Version is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(outcome.Version, DatasetJson.Default.DatasetVersion),
                    ["created"] = outcome.Created,
                    ["refused"] = outcome.Refused,
                    ["validation"] = outcome.Validation?.ToJsonObject(),
                }.ToJsonString());
                return outcome.Refused ? Refused : 0;
            }

            if (outcome.Refused)
            {
                DataDisplay.Validation(outcome.Validation!);
                AnsiConsole.MarkupLineInterpolated($"[red]Refused:[/] a critical expectation failed, so nothing was stored.");
                return Refused;
            }

            var v = outcome.Version!;
            var what = $"{v.Format}, {v.FileCount:N0} file{(v.FileCount == 1 ? string.Empty : "s")}, {Display.Bytes(v.SizeBytes)}{(v.RowCount is { } rows ? $", {rows:N0} rows" : string.Empty)}";
            if (outcome.Created)
            {
                AnsiConsole.MarkupLineInterpolated($"Added [bold]{v.Uri}[/] ({what}) in {clock.Elapsed.TotalSeconds:F2} s.");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"Unchanged: the content equals [bold]{v.Uri}[/], the latest version ({what}); nothing recorded ({clock.Elapsed.TotalMilliseconds:F0} ms).");
            }

            if (outcome.Validation is { } passed)
            {
                AnsiConsole.MarkupLineInterpolated($"Suite [bold]{passed.SuiteName}[/]: {passed.Successful}/{passed.Evaluated} expectations met{(passed.Success ? string.Empty : " (the failures are warnings)")}.");
            }

            return 0;
        });
        return command;
    }
}
