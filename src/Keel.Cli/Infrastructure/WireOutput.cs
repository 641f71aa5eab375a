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
}
