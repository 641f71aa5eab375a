using System.Buffers;
using System.Text;
using System.Text.Json;
using Keel.Core.Errors;

namespace Keel.Application.Validation;

/// <summary>
/// The <c>mlflow.log-model.history</c> run tag: a JSON list of every model logged to the run, to
/// which MLflow's <c>record_logged_model</c> appends. The UI reads it to show logged models.
/// </summary>
internal static class ModelHistory
{
    public const string TagKey = "mlflow.log-model.history";

    private static readonly string[] RequiredFields = ["artifact_path", "flavors", "utc_time_created", "run_id"];

    public static void Validate(string modelJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(modelJson);
        }
        catch (JsonException)
        {
            throw KeelException.InvalidParameter($"Malformed model info. \n {modelJson} \n is not a valid JSON.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw KeelException.InvalidParameter($"Malformed model info. \n {modelJson} \n is not a JSON object.");
            }

            var missing = RequiredFields.Where(f => !document.RootElement.TryGetProperty(f, out _)).ToList();
            if (missing.Count > 0)
            {
                throw KeelException.InvalidParameter($"Model json is missing mandatory fields: [{string.Join(", ", missing.Select(m => $"'{m}'"))}]");
            }
        }
    }

    /// <summary>Appends a model to the history; a missing or unreadable history starts a new list.</summary>
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
}
