using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Data.Validation;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data validate PATH|URI --suite SUITE.json [--result-format LEVEL] [--report FILE]</c></summary>
internal static class ValidateCommand
{
    /// <summary>Exit code when an expectation failed.</summary>
    public const int Failed = ExitCodes.ChecksFailed;

    public static Command Create()
    {
        var store = new StoreOptions();
        var target = new Argument<string>("target") { Description = "A CSV, Parquet or JSON Lines file or folder, or a dataset URI." };
        var suite = new Option<string>("--suite", "-s") { Description = "The Great Expectations suite (JSON, 1.x or the older expectation_type form).", Required = true };
        var level = new Option<string?>("--result-format") { Description = "BOOLEAN_ONLY, BASIC, SUMMARY (default) or COMPLETE." };
        var report = new Option<string?>("--report") { Description = "Write an HTML report here." };
        var command = new Command("validate", "Check a table against a Great Expectations suite; exits 1 when an expectation fails.") { target, suite, level, report };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var parsed = await DataInputs.ReadSuiteAsync(result.GetValue(suite)!, cancellationToken).ConfigureAwait(false);
            var format = result.GetValue(level) is { } name ? new ResultFormat(ResultFormat.ParseLevel(name, "--result-format")) : null;
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await using var workflow = session.DataWorkflow();
            var validation = await workflow.ValidateAsync(result.GetValue(target)!, parsed, format, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(report) is { } path)
            {
                await File.WriteAllTextAsync(path, ValidationReport.ToHtml(validation, result.GetValue(target)!), cancellationToken).ConfigureAwait(false);
            }

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                Console.WriteLine(validation.ToJson());
            }
            else
            {
                DataDisplay.Validation(validation);
                if (result.GetValue(report) is { } written)
                {
                    AnsiConsole.MarkupLineInterpolated($"Report: {written}");
                }
            }

            return validation.Success ? 0 : Failed;
        });
        return command;
    }
}
