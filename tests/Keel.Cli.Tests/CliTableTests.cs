using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Tests;

/// <summary>Tables fit the width they are given without splitting short values or cutting headers.</summary>
public sealed class CliTableTests
{
    private const string LongUri = "models:/breast-cancer-wisconsin-diagnostic-classifier/3";
    private const string Time = "2026-12-02 21:40:17";

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(200)]
    public void No_line_is_wider_than_the_console_and_short_values_stay_whole(int width)
    {
        var lines = Render(AlertsLike(), width);

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        var text = string.Join('\n', lines);
        Assert.Contains("1234567", text);
        if (width >= 120)
        {
            Assert.Contains(Time, text);
        }

        Assert.Contains("critical", text);
        Assert.Contains("Severity", text);
        Assert.DoesNotContain("Seve…", text);
    }

    [Fact]
    public void At_80_columns_a_long_uri_keeps_its_scheme_and_tail()
    {
        var text = string.Join('\n', Render(AlertsLike(), 80));

        Assert.DoesNotContain(LongUri, text);
        Assert.Matches(@"models:/\S*…\S*/3 ", text);
    }

    [Fact]
    public void At_200_columns_nothing_is_shortened_or_dropped()
    {
        var text = string.Join('\n', Render(AlertsLike(), 200));

        Assert.DoesNotContain("…", text);
        Assert.Contains(LongUri, text);
        Assert.Contains("Acknowledged", text);
        Assert.DoesNotContain("Not shown", text);
    }

    [Fact]
    public void Without_a_limit_a_narrow_console_still_gets_full_values()
    {
        var text = string.Join('\n', Render(AlertsLike(), consoleWidth: 40, maxWidth: null));

        Assert.DoesNotContain("…", text);
        Assert.Contains(LongUri, text);
        Assert.Contains("the drift share went above the warning threshold", text);
    }

    [Fact]
    public void When_even_shortening_cannot_fit_the_least_important_columns_go_and_are_named()
    {
        var lines = Render(AlertsLike(), 60);
        var text = string.Join('\n', lines);

        Assert.All(lines, l => Assert.True(l.Length <= 60, $"{l.Length} > 60: {l}"));
        Assert.Contains("1234567", text);
        Assert.DoesNotContain("│ Acknowledged", text);
        Assert.Contains("Not shown (too narrow):", text);
        Assert.Contains("Acknowledged", text);
    }

    [Fact]
    public void Long_text_wraps_instead_of_being_cut()
    {
        var text = string.Join('\n', Render(AlertsLike(), 80));

        Assert.Contains("drift", text);
        Assert.Contains("threshold", text);
        Assert.DoesNotContain("the drift share went above the warning threshold", text);
    }

    [Theory]
    [InlineData("models:/breast-cancer/3", 20, "models:/bre…cancer/3")]
    [InlineData("s3://bucket/a/very/long/path/model.onnx", 24, "s3://bucket…h/model.onnx")]
    [InlineData("models:/churn/3", 20, "models:/churn/3")]
    [InlineData("/var/lib/keel/artifacts/1/abc/model.zip", 20, "/var/li…bc/model.zip")]
    public void Shortening_keeps_the_scheme_and_the_tail(string uri, int width, string expected)
    {
        var shortened = TextFit.ShortenMiddle(uri, width);

        Assert.Equal(expected, shortened);
        Assert.True(shortened.Length <= width);
    }

    private static CliTable AlertsLike()
    {
        var table = new CliTable(
            CliColumn.Short("ID", priority: 9),
            CliColumn.Short("State", priority: 8),
            CliColumn.Short("Severity", priority: 7),
            CliColumn.Uri("Model", priority: 6),
            CliColumn.Number("Value", priority: 2),
            CliColumn.Text("Reason", priority: 5),
            CliColumn.Short("Updated", priority: 3),
            CliColumn.Short("Acknowledged", priority: 1));
        table.AddRow("1234567", "[red]firing[/]", "[red bold]critical[/]", Markup.Escape(LongUri), "0.266667", "the drift share went above the warning threshold", Time, "alice");
        table.AddRow("2", "resolved", "warning", "models:/churn/12", "0.2", "back to normal", Time, string.Empty);
        return table;
    }

    private static string[] Render(CliTable table, int width) => Render(table, width, width);

    private static string[] Render(CliTable table, int consoleWidth, int? maxWidth)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = consoleWidth;
        table.Write(console, maxWidth);
        return writer.ToString().TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }
}
