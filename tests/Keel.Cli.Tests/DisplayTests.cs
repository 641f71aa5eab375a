using Keel.Cli.Infrastructure;

namespace Keel.Cli.Tests;

/// <summary>The formatting the table views share.</summary>
public sealed class DisplayTests
{
    [Theory]
    [InlineData(1_000, 1_000 + 1_500, "1.5 s")]
    [InlineData(0, 59_949, "59.9 s")]
    [InlineData(0, 90_000, "1:30 min")]
    [InlineData(0, 3_723_000, "1:02:03")]
    public void Durations_pick_a_readable_unit(long start, long end, string expected) => Assert.Equal(expected, Display.Duration(start, end));

    [Fact]
    public void A_run_without_an_end_or_with_a_clock_skewed_end_has_no_duration()
    {
        Assert.Equal("-", Display.Duration(1_000, null));
        Assert.Equal("-", Display.Duration(1_000, 999));
    }

    [Theory]
    [InlineData(0.123456789, "0.123457")]
    [InlineData(1234567.0, "1.23457E+06")]
    [InlineData(2.0, "2")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Numbers_use_six_significant_digits_and_invariant_culture(double value, string expected) => Assert.Equal(expected, Display.Number(value));

    [Fact]
    public void An_unset_time_prints_as_a_dash()
    {
        Assert.Equal("-", Display.Time(null));
        Assert.Equal("-", Display.Time(0));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", Display.Time(1_700_000_000_000));
    }

    [Fact]
    public void Sparkline_rises_with_a_rising_series()
    {
        Assert.Equal("▁▂▃▄▅▆▇█", Sparkline.Render([1, 2, 3, 4, 5, 6, 7, 8]));
        Assert.Equal("█▁", Sparkline.Render([10, 0]));
    }

    [Fact]
    public void Sparkline_fits_its_width_and_skips_non_finite_points()
    {
        var long_ = Enumerable.Range(0, 1000).Select(i => (double)i).ToList();
        var line = Sparkline.Render(long_, width: 10);
        Assert.Equal(10, line.Length);
        Assert.Equal('▁', line[0]);
        Assert.Equal('█', line[^1]);
        Assert.Equal("▁█", Sparkline.Render([double.NaN, 1, double.PositiveInfinity, 2]));
        Assert.Equal(string.Empty, Sparkline.Render([double.NaN]));
        Assert.Equal("▅▅▅", Sparkline.Render([3, 3, 3]));
    }
}
