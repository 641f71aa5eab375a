using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Cli.Infrastructure;
using Keel.Data.Profiling;
using Keel.Data.Validation;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary>Tables for profiles and validation results.</summary>
internal static class DataDisplay
{
    public static void Validation(SuiteValidationResult result)
    {
        var table = new CliTable(CliColumn.Short("", priority: 9), CliColumn.Text("Expectation", priority: 8), CliColumn.Short("Column", priority: 7), CliColumn.Short("Severity", priority: 6), CliColumn.Text("Observed / unexpected", priority: 5));
        foreach (var r in result.Results)
        {
            var column = r.Expectation.Kwargs["column"] is JsonValue c && c.TryGetValue<string>(out var name) ? name
                : r.Expectation.Kwargs["column_A"] is JsonValue a ? $"{a}, {r.Expectation.Kwargs["column_B"]}"
                : string.Empty;
            table.AddRow(
                r.Success ? "[green]✓[/]" : r.Expectation.Severity == ExpectationConfiguration.Critical ? "[red]✗[/]" : "[yellow]![/]",
                Markup.Escape(r.Expectation.Type),
                Markup.Escape(column),
                r.Expectation.Severity,
                Markup.Escape(Detail(r)));
        }

        table.Write();
        AnsiConsole.MarkupLineInterpolated(
            $"Suite [bold]{result.SuiteName}[/]: {result.Successful}/{result.Evaluated} expectations met ({result.SuccessPercent ?? 100:F1} %).");
    }

    public static void Profile(TableProfile profile)
    {
        var table = new CliTable(CliColumn.Short("Column", priority: 9), CliColumn.Short("Type", priority: 8), CliColumn.Number("Nulls", priority: 7), CliColumn.Number("Distinct", priority: 6), CliColumn.Number("Min", priority: 5), CliColumn.Number("Max", priority: 5), CliColumn.Number("Mean", priority: 4), CliColumn.Number("Std", priority: 3), CliColumn.Short("Distribution", priority: 2));
        foreach (var c in profile.Columns)
        {
            table.AddRow(
                $"[bold]{Markup.Escape(c.Name)}[/]",
                c.LogicalType,
                c.NullCount == 0 ? "0" : $"{c.NullCount:N0} ({100.0 * c.NullCount / Math.Max(1, profile.RowCount):F1} %)",
                (c.DistinctExact ? string.Empty : "≈") + c.DistinctCount.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(Short(c.Min)),
                Markup.Escape(Short(c.Max)),
                c.Mean is { } mean ? mean.ToString("G4", CultureInfo.InvariantCulture) : string.Empty,
                c.Std is { } std ? std.ToString("G4", CultureInfo.InvariantCulture) : string.Empty,
                Markup.Escape(Distribution(c)));
        }

        table.Write();
    }

    private static string Distribution(ColumnProfile c)
    {
        if (c.Histogram is { Counts.Count: > 0 } h)
        {
            return Sparkline.Render([.. h.Counts.Select(n => (double)n)], Math.Min(12, h.Counts.Count));
        }

        return c.TopValues is { Count: > 0 } top
            ? string.Join(", ", top.Take(3).Select(t => $"{Short(t.Value)} {t.Count:N0}"))
            : string.Empty;
    }

    private static string Detail(ExpectationValidationResult r)
    {
        if (r.ExceptionMessage is { } error)
        {
            return "error: " + error;
        }

        if (r.Result["observed_value"] is { } observed)
        {
            return "observed " + Short(observed);
        }

        return r.Result["unexpected_count"] is { } count
            ? $"{count} unexpected ({Number(r.Result["unexpected_percent"])} %){Sample(r.Result["partial_unexpected_list"])}"
            : string.Empty;
    }

    private static string Sample(JsonNode? list) =>
        list is JsonArray { Count: > 0 } values ? ", e.g. " + string.Join(", ", values.Take(3).Select(Short)) : string.Empty;

    private static string Number(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("0.##", CultureInfo.InvariantCulture) : string.Empty;

    private static string Short(JsonNode? value)
    {
        var text = value switch
        {
            null => "null",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => value.ToJsonString(),
        };
        return text.Length <= 24 ? text : text[..23] + "…";
    }
}
