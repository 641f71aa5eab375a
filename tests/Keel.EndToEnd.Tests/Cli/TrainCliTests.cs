using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>`keel train` as a user runs it.</summary>
public sealed class TrainCliTests
{
    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    [Fact]
    public async Task Train_tunes_registers_and_the_model_scores_its_data()
    {
        var dataDir = TempDirs.Create("keel-train-cli");
        try
        {
            var (code, stdout, stderr) = await KeelCli.RunAsync(
                ["train", "--data", Data("wine.csv"), "--label", "class", "--task", "multiclass", "--trials", "9", "--register-as", "wine", "--experiment", "wine", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(code == 0, $"train failed ({code}): {stderr}\n{stdout}");
            var result = JsonNode.Parse(stdout)!;
            Assert.Equal("1", (string?)result["RegisteredVersion"]);
            Assert.True((double)result["Metrics"]!["macro_accuracy"]! > 0.9, stdout);

            var output = Path.Combine(dataDir, "wine-scored.csv");
            (code, _, stderr) = await KeelCli.RunAsync(["predict", "--model", "models:/wine/1", "--input", Data("wine.csv"), "--output", output, "--data-dir", dataDir]);
            Assert.True(code == 0, stderr);
            var lines = await File.ReadAllLinesAsync(output);
            var header = lines[0].Split(',');
            var label = Array.IndexOf(header, "class");
            var prediction = Array.IndexOf(header, "prediction");
            var agree = lines.Skip(1).Count(l => l.Split(',')[label] == l.Split(',')[prediction]);
            Assert.True(agree > 0.9 * (lines.Length - 1), $"{agree} of {lines.Length - 1} predictions match the label");
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task A_bad_spec_names_the_field_and_exits_2()
    {
        var dataDir = TempDirs.Create("keel-train-bad");
        try
        {
            var (code, _, stderr) = await KeelCli.RunAsync(["train", "--data", Data("wine.csv"), "--label", "no_such_column", "--task", "multiclass", "--trials", "3", "--data-dir", dataDir]);
            Assert.Equal(2, code);
            Assert.Contains("no_such_column", stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }
}
