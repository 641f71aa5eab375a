using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Keel.Cli.Infrastructure;

/// <summary>Prints a wire DTO as indented MLflow JSON on stdout, for <c>--output json</c> and scripts (jq).</summary>
internal static class WireOutput
{
    public static void Write<T>(T value, JsonTypeInfo<T> type)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        stdout.Write("\n"u8);
    }

    /// <summary>The empty object the REST API answers an action with (MLflow's <c>{}</c>), for <c>-o json</c> on commands that only act.</summary>
    public static void Empty()
    {
        using var stdout = Console.OpenStandardOutput();
        stdout.Write("{}\n"u8);
    }

    /// <summary>
    /// What a command that only acts prints: for <c>-o json</c> the REST API's empty answer, else
    /// <paramref name="message"/> (markup with escaped holes, as <see cref="Spectre.Console.AnsiConsole.MarkupLineInterpolated(System.FormattableString)"/>).
    /// </summary>
    public static void Done(OutputFormat format, FormattableString message)
    {
        if (format == OutputFormat.Json)
        {
            Empty();
            return;
        }

        Spectre.Console.AnsiConsole.MarkupLineInterpolated(message);
    }
}
