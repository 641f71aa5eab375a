using System.Globalization;

namespace Keel.Server.Http;

/// <summary>
/// The request id of an inference call: the caller's x-request-id when present (so their traces
/// and the prediction log join), else a process-unique one that is cheap to make.
/// </summary>
internal static class RequestIds
{
    /// <summary>The request id, taken from the request and answered in the response.</summary>
    public const string Header = "x-request-id";

    /// <summary>The version of the model that answered an inference call.</summary>
    public const string ModelVersionHeader = "x-keel-model-version";

    private static readonly string Prefix = Guid.NewGuid().ToString("N")[..8];
    private static long _next;

    public static string From(HttpContext context)
    {
        var given = context.Request.Headers[Header];
        if (given.Count > 0 && given[0] is { Length: > 0 and <= 200 } id)
        {
            return id;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{Interlocked.Increment(ref _next):x}");
    }
}
