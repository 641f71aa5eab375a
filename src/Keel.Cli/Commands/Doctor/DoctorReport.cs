using Keel.Cli.Infrastructure;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// How <c>keel doctor</c> prints its findings: a table (status mark, check, finding, fix), or the
/// documented JSON shape <c>{"checks":[{"name","status","finding","fix","details":{...}}],"ok":bool}</c>.
/// </summary>
internal static class DoctorReport
{
    public static string Word(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "ok",
        CheckStatus.Warn => "warn",
        CheckStatus.Fail => "fail",
        _ => "skipped",
    };

    public static void Table(IReadOnlyList<CheckResult> results, IAnsiConsole console)
    {
        // The one table printer, so the report fits the terminal (or COLUMNS) like every other table.
        var table = new CliTable(CliColumn.Short(string.Empty, priority: 9), CliColumn.Short("Check", priority: 9), CliColumn.Text("Finding", priority: 8), CliColumn.Text("Fix", priority: 7));
        foreach (var r in results)
        {
            var mark = r.Status switch
            {
                CheckStatus.Ok => "[green]ok[/]",
                CheckStatus.Warn => "[yellow]warn[/]",
                CheckStatus.Fail => "[red]FAIL[/]",
                _ => "[grey]skip[/]",
            };
            table.AddRow(mark, Markup.Escape(r.Name), Markup.Escape(r.Finding), Markup.Escape(r.Fix ?? string.Empty));
        }

        table.Write(console, CliConsole.TableWidth());
        var failed = results.Count(r => r.Status == CheckStatus.Fail);
        var warned = results.Count(r => r.Status == CheckStatus.Warn);
        console.MarkupLine(failed > 0 ? $"[red]{failed} check(s) failed[/]{(warned > 0 ? $", {warned} warning(s)" : string.Empty)}"
            : warned > 0 ? $"[yellow]no failures, {warned} warning(s)[/]"
            : "[green]all checks passed[/]");
    }

    public static string Json(IReadOnlyList<CheckResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("checks");
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("name", r.Name);
                writer.WriteString("status", Word(r.Status));
                writer.WriteString("finding", r.Finding);
                if (r.Fix is null)
                {
                    writer.WriteNull("fix");
                }
                else
                {
                    writer.WriteString("fix", r.Fix);
                }

                writer.WriteStartObject("details");
                foreach (var (key, value) in r.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object)); // strings, numbers, flags and lists of them
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteBoolean("ok", results.All(r => r.Status != CheckStatus.Fail));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
