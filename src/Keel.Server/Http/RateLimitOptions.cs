using Keel.Core.Errors;

namespace Keel.Server.Http;

/// <summary>
/// Request rate limits of <c>keel server</c>, per user: a token bucket per authenticated user (per client
/// address without authentication) that holds <see cref="PerSecond"/> + <see cref="Burst"/> requests and
/// refills <see cref="PerSecond"/> each second. <c>--rate-limit</c>, KEEL_RATE_LIMIT and KEEL_RATE_LIMIT_BURST.
/// Health, version, metrics, the UI's static files and the inference routes are not limited here
/// (endpoints have their own concurrency limits).
/// </summary>
/// <param name="PerSecond">Requests per second a user may make, sustained (at least 1).</param>
/// <param name="Burst">Requests above that a user may make at once (at least 0).</param>
public sealed record RateLimitOptions(int PerSecond, int Burst)
{
    /// <summary>How often the bucket is refilled with <see cref="PerSecond"/> requests; one second (tests stretch it).</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Checked settings; the burst defaults to the rate.</summary>
    /// <param name="perSecond">Requests per second.</param>
    /// <param name="burst">Extra requests at once; null for <paramref name="perSecond"/>.</param>
    /// <param name="option">Where the rate came from, for the message.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a rate under 1 or a negative burst.</exception>
    public static RateLimitOptions Create(int perSecond, int? burst, string option = "--rate-limit")
    {
        if (perSecond < 1)
        {
            throw KeelException.InvalidParameter($"{option} must be at least 1 request per second, not {perSecond}.");
        }

        if (burst is < 0)
        {
            throw KeelException.InvalidParameter($"The rate limit burst must be 0 or more, not {burst}.");
        }

        return new RateLimitOptions(perSecond, burst ?? perSecond);
    }
}
