using Keel.Cli.Commands.Endpoints;
using Keel.Core.Errors;

namespace Keel.Cli.Tests;

public sealed class HoldParserTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1.5h", 5400)]
    [InlineData(" 2m ", 120)]
    [InlineData("0", 0)]
    public void Parses_durations_with_a_unit_or_seconds(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), HoldParser.Parse(text));

    [Theory]
    [InlineData("", "expected a duration")]
    [InlineData("abc", "expected a duration")]
    [InlineData("-5m", "expected a duration")]
    [InlineData("5d", "the unit must be s, m or h")]
    [InlineData("1,5m", "expected a duration")]
    public void Bad_holds_are_invalid_input_naming_the_option(string text, string fragment)
    {
        var e = Assert.Throws<KeelException>(() => HoldParser.Parse(text));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains($"--hold '{text}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_are_comma_separated_percentages()
    {
        Assert.Equal([10, 50, 100], HoldParser.ParseSteps("10, 50,100"));
        var e = Assert.Throws<KeelException>(() => HoldParser.ParseSteps("10,half,100"));
        Assert.Contains("--steps '10,half,100'", e.Message, StringComparison.Ordinal);
    }
}
