using Keel.Core.Configuration;
using Keel.Core.Errors;

namespace Keel.Core.Tests;

/// <summary>Settings from the environment: parsed once, range-checked, refused with the variable's name.</summary>
public sealed class KeelEnvironmentTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("   ", null)]
    [InlineData("0.25", 0.25)]
    [InlineData(" 1 ", 1.0)]
    [InlineData("0", 0.0)]
    public void Number_reads_values_in_range(string? text, double? expected) =>
        WithVariable(text, name => Assert.Equal(expected, KeelEnvironment.Number(name, 0, 1)));

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("half")]
    [InlineData("NaN")]
    [InlineData("0,5")]
    public void Number_refuses_values_out_of_range_or_unparsable_naming_the_variable(string text) =>
        WithVariable(text, name =>
        {
            var e = Assert.Throws<KeelException>(() => KeelEnvironment.Number(name, 0, 1));
            Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
            Assert.Contains($"{name}='{text}'", e.Message, StringComparison.Ordinal);
            Assert.Contains("a number from 0 to 1", e.Message, StringComparison.Ordinal);
        });

    [Theory]
    [InlineData("7", 7)]
    [InlineData("+3", 3)]
    public void WholeNumber_reads_values_in_range(string text, int expected) =>
        WithVariable(text, name => Assert.Equal(expected, KeelEnvironment.WholeNumber(name, 1, 10)));

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    [InlineData("2.5")]
    [InlineData("99999999999")]
    public void WholeNumber_refuses_what_breaks_the_rule(string text) =>
        WithVariable(text, name =>
        {
            var e = Assert.Throws<KeelException>(() => KeelEnvironment.WholeNumber(name, 1, 10));
            Assert.Contains("a whole number from 1 to 10", e.Message, StringComparison.Ordinal);
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        });

    [Theory]
    [InlineData("http://gateway:5000/", "http://gateway:5000/")]
    [InlineData("https://gw.example", "https://gw.example/")]
    public void HttpUrl_reads_http_urls(string text, string expected) =>
        WithVariable(text, name => Assert.Equal(new Uri(expected), KeelEnvironment.HttpUrl(name, "a gateway")));

    [Theory]
    [InlineData("ftp://gateway")]
    [InlineData("gateway:5000")]
    [InlineData("/relative")]
    public void HttpUrl_refuses_other_schemes(string text) =>
        WithVariable(text, name =>
        {
            var e = Assert.Throws<KeelException>(() => KeelEnvironment.HttpUrl(name, "a gateway"));
            Assert.Contains("an http:// or https:// URL of a gateway", e.Message, StringComparison.Ordinal);
        });

    [Fact]
    public void FilePath_refuses_control_characters() =>
        WithVariable("/tmp/a\u0001b", name => Assert.Throws<KeelException>(() => KeelEnvironment.FilePath(name)));

    [Fact]
    public void FilePath_keeps_the_path_as_given() =>
        WithVariable("~/keel-data", name => Assert.Equal("~/keel-data", KeelEnvironment.FilePath(name)));

    private static void WithVariable(string? value, Action<string> test)
    {
        // A variable of its own per call: tests in parallel never see each other's values.
        var name = "KEEL_TEST_SETTING_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, value);
        try
        {
            test(name);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
