using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Cli.Commands.Monitor;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Tests.Monitor;

/// <summary><c>keel monitor drift</c> on small CSV files: JSON fields, the HTML report, bad input.</summary>
[Collection("Console")]
public sealed class MonitorDriftCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-drift-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Csv(string name, int rows, double shift, string[] cities)
    {
        var rng = new Random(name.Length);
        var text = new StringBuilder("age,income,city\n");
        for (var i = 0; i < rows; i++)
        {
            var age = 30 + rng.NextDouble() * 20 + shift * 20;
            var income = 1000 + rng.NextDouble() * 500 + shift * 400;
            text.Append(CultureInfo.InvariantCulture, $"{age:F3},{income:F2},{cities[i % cities.Length]}\n");
        }

        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await DriftCommand.Create().Parse(args).InvokeAsync();
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public async Task Drifted_tables_report_dataset_drift_in_json_with_evidently_fields()
    {
        var reference = Csv("ref.csv", 1500, 0, ["a", "b", "c"]);
        var current = Csv("cur.csv", 800, 1, ["c", "d"]);
        var (exit, output, _) = await RunAsync("--reference", reference, "--current", current, "--output", "json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(3, root.GetProperty("number_of_columns").GetInt32());
        Assert.Equal(3, root.GetProperty("number_of_drifted_columns").GetInt32());
        Assert.Equal(1.0, root.GetProperty("share_of_drifted_columns").GetDouble());
        var columns = root.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal("num", columns["age"].GetProperty("column_type").GetString());
        Assert.Equal("wasserstein", columns["age"].GetProperty("stattest").GetString());
        Assert.Equal(0.1, columns["age"].GetProperty("threshold").GetDouble());
        Assert.Equal("cat", columns["city"].GetProperty("column_type").GetString());
        Assert.Equal("jensenshannon", columns["city"].GetProperty("stattest").GetString());
        foreach (var c in columns.Values)
        {
            Assert.True(c.GetProperty("drift_detected").GetBoolean());
            Assert.True(c.GetProperty("exact").GetBoolean());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("binning").GetString()));
            Assert.True(c.GetProperty("drift_score").GetDouble() >= 0);
        }
    }

    [Fact]
    public async Task Same_distribution_is_not_drift_and_the_report_has_an_svg_per_column()
    {
        var reference = Csv("ref.csv", 600, 0, ["a", "b", "c"]);
        var current = Csv("current.csv", 400, 0, ["a", "b", "c"]);
        var report = Path.Combine(_dir, "report.html");
        var (exit, output, _) = await RunAsync("--reference", reference, "--current", current, "--output", "json", "--report", report,
            "--per-column", "age=psi", "--threshold", "0.2");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("dataset_drift").GetBoolean());
        var columns = doc.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal("psi", columns["age"].GetProperty("stattest").GetString());
        Assert.Equal("ks", columns["income"].GetProperty("stattest").GetString());
        Assert.Equal("chisquare", columns["city"].GetProperty("stattest").GetString());
        Assert.Equal(0.2, columns["income"].GetProperty("threshold").GetDouble());
        var html = await File.ReadAllTextAsync(report);
        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("No dataset drift", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--method", "bogus", "--method")]
    [InlineData("--method", "ks", "--method")]
    [InlineData("--per-column", "nope=psi", "--per-column")]
    [InlineData("--per-column", "age", "--per-column")]
    [InlineData("--threshold", "abc", "--threshold")]
    [InlineData("--threshold", "-1", "--threshold")]
    [InlineData("--drift-share", "2", "--drift-share")]
    [InlineData("--columns", "age,missing", "--columns")]
    public async Task Bad_input_exits_2_naming_the_option(string option, string value, string named)
    {
        var reference = Csv("ref.csv", 50, 0, ["a", "b"]);
        var (exit, output, error) = await RunAsync("--reference", reference, "--current", reference, option, value);
        Assert.Equal(ExitCodes.ValidationFailed, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task Missing_file_exits_2()
    {
        var (exit, _, error) = await RunAsync("--reference", Path.Combine(_dir, "none.csv"), "--current", Path.Combine(_dir, "none.csv"));
        Assert.Equal(ExitCodes.ValidationFailed, exit);
        Assert.Contains("--reference", error, StringComparison.Ordinal);
    }
}
