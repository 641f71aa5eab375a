namespace Keel.Compute.Search;

/// <summary>Opaque page tokens in MLflow's format: base64 of <c>{"offset": N}</c>.</summary>
public static class PageToken
{
    public static string Encode(int offset) => throw new NotImplementedException();

    /// <summary>Returns 0 for a null or empty token; a malformed token raises INVALID_PARAMETER_VALUE.</summary>
    public static int Decode(string? token) => throw new NotImplementedException();
}
