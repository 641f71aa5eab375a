using System.Globalization;
using Keel.Core.Errors;
using Keel.Serving.Logging;
using Xunit;

namespace Keel.Serving.Tests.Logging;

public sealed class ReplicaIdTests
{
    [Fact]
    public void The_default_is_the_host_and_process_id_fit_for_an_object_name()
    {
        var id = ReplicaId.Default();

        Assert.EndsWith("-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), id, StringComparison.Ordinal);
        Assert.Equal(id, ReplicaId.Check(id, "x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("pod 1")]
    [InlineData("x=y")]
    public void An_id_that_is_no_safe_name_is_refused_naming_its_source(string id)
    {
        var e = Assert.Throws<KeelException>(() => ReplicaId.Check(id, "KEEL_PREDICTION_LOG_REPLICA_ID"));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("KEEL_PREDICTION_LOG_REPLICA_ID", e.Message, StringComparison.Ordinal);
        Assert.Throws<KeelException>(() => ReplicaId.Check(new string('a', 65), "x"));
    }
}
