using Keel.Server.Http;

namespace Keel.Server.Tests;

public sealed class HostFilterTests
{
    [Theory]
    [InlineData("localhost", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("LocalHost:1", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("[::1]", true)]
    [InlineData("evil.example", false)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("127.0.0.1.nip.io", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Defaults_answer_loopback_names_on_any_port(string? host, bool allowed) =>
        Assert.Equal(allowed, new HostFilter([], "127.0.0.1").Allows(host));

    [Fact]
    public void The_bound_address_is_allowed_by_default()
    {
        Assert.True(new HostFilter([], "10.0.0.7").Allows("10.0.0.7:5000"));
        Assert.True(new HostFilter([], "keel.lan").Allows("keel.lan:5000"));
        Assert.False(new HostFilter([], "10.0.0.7").Allows("10.0.0.8"));
    }

    [Fact]
    public void Configured_hosts_replace_the_defaults()
    {
        var filter = new HostFilter(["keel.internal", "*.corp.example", "proxy:8443"], "127.0.0.1");

        Assert.True(filter.Allows("keel.internal:5000"));
        Assert.True(filter.Allows("ml.corp.example"));
        Assert.False(filter.Allows("corp.example"));
        Assert.False(filter.Allows("corp.example.evil"));
        Assert.True(filter.Allows("proxy:8443"));
        Assert.False(filter.Allows("proxy:8444"));
        Assert.False(filter.Allows("localhost"));
        Assert.True(new HostFilter(["*"], "127.0.0.1").Allows("anything"));
    }

    [Theory]
    [InlineData("h:1", "h", "1")]
    [InlineData("h", "h", null)]
    [InlineData("[::1]:80", "[::1]", "80")]
    [InlineData("[fe80::1]", "[fe80::1]", null)]
    [InlineData("::1", "::1", null)]
    public void Split_separates_host_and_port(string value, string host, string? port) =>
        Assert.Equal((host, port), HostFilter.Split(value));
}
