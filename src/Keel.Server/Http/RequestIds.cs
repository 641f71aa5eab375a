using System.Globalization;

namespace Keel.Server.Http;

/// <summary>
/// The request id of an inference call: the caller's x-request-id when present (so their traces
/// and the prediction log join), else a process-unique one that is cheap to make.
/// </summary>
internal static class RequestIds
{
    private static readonly string Prefix = Guid.NewGuid().ToString("N")[..8];
    private static long _next;

    public static string From(HttpContext context)
    {
        var given = context.Request.Headers["x-request-id"];
        if (given.Count > 0 && given[0] is { Length: > 0 and <= 200 } id)
        {
            return id;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{Interlocked.Increment(ref _next):x}");
    }
}
