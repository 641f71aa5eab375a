using System.Globalization;
using System.Threading.RateLimiting;
using Keel.Core.Errors;
using Microsoft.AspNetCore.RateLimiting;

namespace Keel.Server.Http;

/// <summary>
/// Per-user request rate limits (ASP.NET Core's rate limiter, a token bucket per partition). A request
/// over the limit is answered 429 REQUEST_LIMIT_EXCEEDED with <c>Retry-After</c>, as MLflow's clients
/// expect (they retry 429s after backing off).
/// </summary>
internal static class RateLimits
{
    /// <summary>Registers the limiter's settings; nothing when there is no limit.</summary>
    public static IServiceCollection AddKeelRateLimits(this IServiceCollection services, RateLimitOptions? options)
    {
        if (options is null)
        {
            return services;
        }

        return services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = Create(options);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = static (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                return new ValueTask(ErrorHandling.WriteAsync(
                    rejected.HttpContext,
                    ErrorCode.RequestLimitExceeded,
                    string.Create(CultureInfo.InvariantCulture, $"Too many requests: the rate limit of this server was reached; retry after {seconds} s."),
                    seconds));
            };
        });
    }

    /// <summary>Adds the limiter; must come after authentication, so requests are counted against their user.</summary>
    public static IApplicationBuilder UseKeelRateLimits(this IApplicationBuilder app, RateLimitOptions? options) =>
        options is null ? app : app.UseRateLimiter();

    /// <summary>The limiter: one token bucket per user (or client address), none for the exempt routes.</summary>
    internal static PartitionedRateLimiter<HttpContext> Create(RateLimitOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (IsExempt(context.Request.Path))
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            var key = Caller.Of(context)?.Username is { } user
                ? "user:" + user
                : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.PerSecond + options.Burst,
                TokensPerPeriod = options.PerSecond,
                ReplenishmentPeriod = options.Period,
                AutoReplenishment = true,
                QueueLimit = 0,
            });
        });

    // Probes and scrapes must keep answering under load; inference has per-endpoint concurrency
    // limits; the UI's static files (cached, cheap) would otherwise spend a page load's worth of budget.
    internal static bool IsExempt(PathString path)
    {
        var p = path.Value ?? string.Empty;
        return p is "/health" or "/version" or "/metrics" or "/" or "/index.html"
            || p.StartsWith("/ui/", StringComparison.Ordinal)
            || p.EndsWith("/keel/version", StringComparison.Ordinal)
            || p.StartsWith("/v2/", StringComparison.Ordinal)
            || (p.StartsWith("/endpoints/", StringComparison.Ordinal) && p.EndsWith("/invocations", StringComparison.Ordinal));
    }
}
