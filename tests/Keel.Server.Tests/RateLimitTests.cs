using System.Net;
using Keel.Core.Errors;
using Keel.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Tests;

public sealed class RateLimitTests
{
    // A refill period of an hour: nothing is given back while the test runs.
    private static readonly RateLimitOptions TwoPlusOne = new(2, 1) { Period = TimeSpan.FromHours(1) };

    [Fact]
    public void Each_user_has_a_bucket_of_rate_plus_burst_and_another_user_is_unaffected()
    {
        using var limiter = RateLimits.Create(TwoPlusOne);
        for (var i = 0; i < 3; i++)
        {
            using var lease = limiter.AttemptAcquire(Request("alice"));
            Assert.True(lease.IsAcquired, $"request {i + 1} of alice");
        }

        using (var refused = limiter.AttemptAcquire(Request("alice")))
        {
            Assert.False(refused.IsAcquired);
        }

        using (var bob = limiter.AttemptAcquire(Request("bob")))
        {
            Assert.True(bob.IsAcquired);
        }

        // Without authentication the client address is the partition.
        using (var anonymous = limiter.AttemptAcquire(Request(null, "10.0.0.9")))
        {
            Assert.True(anonymous.IsAcquired);
        }
    }

    [Fact]
    public void Health_version_metrics_and_inference_are_not_limited()
    {
        using var limiter = RateLimits.Create(new RateLimitOptions(1, 0) { Period = TimeSpan.FromHours(1) });
        foreach (var path in new[] { "/health", "/version", "/api/2.0/keel/version", "/metrics", "/v2/models/m/infer", "/v2/health/ready", "/endpoints/m/invocations", "/", "/ui/abc123/app.js" })
        {
            for (var i = 0; i < 5; i++)
            {
                using var lease = limiter.AttemptAcquire(Request("alice", path: path));
                Assert.True(lease.IsAcquired, path);
            }
        }

        using var first = limiter.AttemptAcquire(Request("alice"));
        Assert.True(first.IsAcquired);
        using var second = limiter.AttemptAcquire(Request("alice"));
        Assert.False(second.IsAcquired);
    }

    [Fact]
    public void Settings_are_checked()
    {
        Assert.Equal(new RateLimitOptions(5, 5), RateLimitOptions.Create(5, null));
        Assert.Equal(new RateLimitOptions(5, 0), RateLimitOptions.Create(5, 0));
        Assert.Contains("--rate-limit", Assert.Throws<KeelException>(() => RateLimitOptions.Create(0, null)).Message, StringComparison.Ordinal);
        Assert.Throws<KeelException>(() => RateLimitOptions.Create(1, -1));
    }

    private static DefaultHttpContext Request(string? user, string ip = "10.0.0.1", string path = "/api/2.0/mlflow/experiments/search")
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        if (user is not null)
        {
            new Caller(user, false, "basic").Attach(context);
        }

        return context;
    }
}
