using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Application.Monitoring;
using Keel.Cli.Infrastructure;
using Keel.Compute.Drift;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Data.Tables;
using Spectre.Console;

namespace Keel.Cli.Commands.Monitor;

/// <summary>
/// <c>keel monitor drift --reference FILE|URI --current FILE|URI [--method M] [--per-column col=m,...]
/// [--threshold T] [--drift-share S] [--columns a,b] [--output json|table] [--report FILE]</c>
/// </summary>
internal static class DriftCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var reference = new Option<string>("--reference") { Description = "The reference table: a CSV, Parquet or JSON Lines file or folder, or datasets:/NAME/VERSION.", Required = true };
        var current = new Option<string>("--current") { Description = "The current table (same forms as --reference).", Required = true };
        var method = new Option<string?>("--method") { Description = "Method for every column: " + string.Join(", ", StatTests.All) + " (default: Evidently's automatic choice)." };
        var perColumn = new Option<string?>("--per-column") { Description = "Methods per column, e.g. age=ks,city=psi (beats --method)." };
        var threshold = new Option<string?>("--threshold") { Description = "Threshold for every column (default: 0.05 for p-values, 0.1 for distances)." };
        var driftShare = new Option<string?>("--drift-share") { Description = "Dataset drift when at least this share of columns drifted (default 0.5)." };
        var columns = new Option<string?>("--columns") { Description = "Compare only these columns, e.g. a,b (default: every column in both tables)." };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report with a histogram per column here." };
        var command = new Command("drift", "Data drift between a reference and a current table, with Evidently's statistics; exits 0 either way.")
        {
            reference, current, method, perColumn, threshold, driftShare, columns, report,
        };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var options = new DriftOptions
            {
                Method = result.GetValue(method),
                ColumnMethods = ParsePerColumn(result.GetValue(perColumn)),
                Threshold = ParseNumber(result.GetValue(threshold), "--threshold", "a finite number ≥ 0"),
                DriftShare = ParseNumber(result.GetValue(driftShare), "--drift-share", "a number from 0 to 1") ?? 0.5,
            };
            var wanted = result.GetValue(columns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var referencePath = result.GetValue(reference)!;
            var currentPath = result.GetValue(current)!;
            var refTable = await ReadAsync(result, store, referencePath, "--reference", wanted, cancellationToken).ConfigureAwait(false);
            var curTable = await ReadAsync(result, store, currentPath, "--current", wanted, cancellationToken).ConfigureAwait(false);
            var driftColumns = DriftTables.Pair(refTable, curTable, wanted is not null);
            try
            {
                DriftEngine.Validate(options, driftColumns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal));
                var drift = DriftEngine.Compare(driftColumns, options, cancellationToken);
                if (result.GetValue(report) is { } path)
                {
                    await File.WriteAllTextAsync(path, DriftReport.ToHtml(drift, referencePath, currentPath), cancellationToken).ConfigureAwait(false);
                }

                if (result.GetValue(store.Output) == OutputFormat.Json)
                {
                    Console.WriteLine(DriftTables.ToJson(drift).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    Show(drift, result.GetValue(report));
                }
            }
            catch (DriftOptionsException ex)
            {
                throw KeelException.InvalidParameter("--" + ex.Option + ": " + StripOption(ex.Message, ex.Option));
            }
            catch (ArgumentException ex)
            {
                throw KeelException.InvalidParameter(ex.Message);
            }

            return 0;
        });
        return command;
    }

    private static string StripOption(string message, string option) =>
        message.StartsWith(option + ": ", StringComparison.Ordinal) ? message[(option.Length + 2)..] : message;

    private static async Task<ColumnarTable> ReadAsync(ParseResult result, StoreOptions store, string pathOrUri, string option, string[]? columns, CancellationToken cancellationToken)
    {
        var path = pathOrUri;
        if (DatasetUri.IsDatasetUri(pathOrUri))
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            await using var workflow = session.DataWorkflow();
            path = (await workflow.CheckoutAsync(pathOrUri, null, cancellationToken).ConfigureAwait(false)).LocalPath;
        }
        else if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw KeelException.InvalidParameter($"{option} '{pathOrUri}': no such file or folder.");
        }

        try
        {
            return await ColumnarTable.ReadAsync(path, columns, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException ex) when (ex.Code == ErrorCode.InvalidParameterValue)
        {
            throw KeelException.InvalidParameter($"{option}: {ex.Message}");
        }
    }

    private static Dictionary<string, string> ParsePerColumn(string? text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return map;
        }

        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.LastIndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
            {
                throw KeelException.InvalidParameter($"--per-column: '{pair}' is not column=method (e.g. age=ks,city=psi).");
            }

            map[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return map;
    }

    private static double? ParseNumber(string? text, string option, string rule)
    {
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw KeelException.InvalidParameter($"{option}: '{text}' is not a number; expected {rule}.");
        }

        return value;
    }

    private static void Show(DatasetDriftResult drift, string? reportPath)
    {
        var table = new CliTable(
            CliColumn.Short("column", priority: 9), CliColumn.Short("type", priority: 5), CliColumn.Short("method", priority: 4),
            CliColumn.Number("score", priority: 7), CliColumn.Number("threshold", priority: 6), CliColumn.Short("drift", priority: 8));
        foreach (var c in drift.Columns)
        {
            table.AddRow(
                Markup.Escape(c.Column),
                c.ColumnType,
                c.StatTest,
                c.DriftScore.ToString("G4", CultureInfo.InvariantCulture),
                c.Threshold.ToString("G3", CultureInfo.InvariantCulture),
                c.DriftDetected ? "[red]DRIFT[/]" : "[green]ok[/]");
        }

        table.Write();
        var verdict = drift.DatasetDrift ? "[red]dataset drift[/]" : "[green]no dataset drift[/]";
        AnsiConsole.MarkupLine(
            $"{verdict}: {drift.NumberOfDriftedColumns} of {drift.NumberOfColumns} columns drifted " +
            $"({drift.ShareOfDriftedColumns.ToString("P0", CultureInfo.InvariantCulture)}; drift share {drift.DriftShare.ToString(CultureInfo.InvariantCulture)})");
        if (reportPath is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Report: {reportPath}");
        }
    }
}
