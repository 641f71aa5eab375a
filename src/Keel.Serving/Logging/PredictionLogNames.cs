using System.Text.RegularExpressions;
using Keel.Core.Errors;

namespace Keel.Serving.Logging;

/// <summary>
/// The rule an endpoint name meets before it becomes part of a prediction log path (the serving
/// rules already hold every served endpoint to it; a reader's argument is checked here too, so no
/// name can reach outside the log's directory).
/// </summary>
internal static partial class PredictionLogNames
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex EndpointName();

    public static string CheckEndpoint(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return EndpointName().IsMatch(endpoint)
            ? endpoint
            : throw KeelException.InvalidParameter($"Invalid endpoint name '{endpoint}': use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
    }
}
