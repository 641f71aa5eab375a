using System.Text.Json;
using Keel.Core.Errors;

namespace Keel.Application.Validation;

/// <summary>
/// MLflow's checks of a <c>runs/log-model</c> body's <c>model_json</c>: one JSON object holding the
/// fields every <c>mlflow.log-model.history</c> entry has, in MLflow's wording.
/// </summary>
internal static class ModelJsonRules
{
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
}
