using Keel.ML.Batch;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>Reads the scored file back and shows what the model said: class counts and agreement with the label.</summary>
internal static class QuickstartScore
{
    public static void Print(string scoredCsv, long rows, string labelColumn)
    {
        using var reader = new StreamReader(scoredCsv);
        var header = CsvFields.Split(reader.ReadLine() ?? string.Empty);
        var label = header.IndexOf(labelColumn);
        var prediction = header.IndexOf("prediction");
        var counts = new Dictionary<string, (int Predicted, int Correct)>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var fields = CsvFields.Split(line);
            var predicted = fields[prediction];
            var (p, c) = counts.GetValueOrDefault(predicted);
            counts[predicted] = (p + 1, c + (label >= 0 && fields[label] == predicted ? 1 : 0));
        }

        var chart = new BarChart().Width(60).Label("[bold]predicted class[/] (rows)");
        var colors = new[] { Color.Green, Color.Red, Color.Blue, Color.Yellow };
        var i = 0;
        foreach (var (cls, (predicted, _)) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            chart.AddItem(cls, predicted, colors[i++ % colors.Length]);
        }

        AnsiConsole.Write(chart);
        var correct = counts.Values.Sum(v => v.Correct);
        AnsiConsole.MarkupLineInterpolated($"Scored [bold]{rows:N0}[/] rows; the prediction matches {labelColumn} on {correct:N0} ({100.0 * correct / Math.Max(rows, 1):F1}%, training rows included).");
    }
}
