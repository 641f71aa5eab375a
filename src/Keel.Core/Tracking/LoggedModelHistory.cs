using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Keel.Core.Tracking;

/// <summary>
/// The <c>mlflow.log-model.history</c> run tag: a JSON list with one entry per model logged to the
/// run (the model's MLmodel as JSON), appended to as MLflow's <c>record_logged_model</c> does. MLflow's
/// UI reads it to list a run's logged models.
/// </summary>
public static class LoggedModelHistory
{
    /// <summary>The run tag's key.</summary>
    public const string TagKey = "mlflow.log-model.history";

    /// <summary>The history with <paramref name="modelJson"/> appended; a missing or unreadable history starts a new list.</summary>
    /// <param name="history">The tag's current value, or null.</param>
    /// <param name="modelJson">The logged model's MLmodel as one JSON object (checked by the caller).</param>
    public static string Append(string? history, string modelJson)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            if (!string.IsNullOrEmpty(history))
            {
                try
                {
                    using var existing = JsonDocument.Parse(history);
                    if (existing.RootElement.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var element in existing.RootElement.EnumerateArray())
                        {
                            element.WriteTo(writer);
                        }
                    }
                }
                catch (JsonException)
                {
                    // A hand-edited, broken tag should not block logging new models.
                }
            }

            writer.WriteRawValue(modelJson);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The current value of the tag on <paramref name="run"/>, or null.</summary>
    public static string? Of(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Data.Tags.LastOrDefault(t => t.Key == TagKey)?.Value;
    }
}
