namespace Keel.Server.Http;

/// <summary>
/// Endpoint metadata of the Open Inference Protocol (KServe V2) routes: their error answers carry the
/// spec's <c>{"error": "..."}</c> beside MLflow's <c>error_code</c> and <c>message</c>, written by
/// <see cref="ErrorHandling"/> like every other error.
/// </summary>
internal sealed class OpenInferenceErrors
{
    public static readonly OpenInferenceErrors Instance = new();

    private OpenInferenceErrors()
    {
    }
}
