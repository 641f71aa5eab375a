using Keel.Compute.Serving;
using Keel.Core.Serving;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class RolloutJudgeTests
{
    [Theory]
    [InlineData(0.0, 0.05, 2.0, 2.0, 0.0, "error rate")]
    [InlineData(0.0, 0.0, 2.0, 12.0, 0.0, "p99 latency")]
    [InlineData(0.0, 0.0, 2.0, 2.0, 0.5, "divergence")]
    [InlineData(0.01, 0.015, 2.0, 8.9, 0.19, null)]
    public void Judge_names_the_breached_limit(double champErr, double challErr, double champP99, double challP99, double divergence, string? expected)
    {
        var breach = RolloutJudge.FindBreach(RolloutPolicy.Default, new StepComparison(1000, 100, champErr, challErr, champP99, challP99, divergence));
        if (expected is null)
        {
            Assert.Null(breach);
        }
        else
        {
            Assert.Contains(expected, breach, StringComparison.Ordinal);
        }
    }
}
