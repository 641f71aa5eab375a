using Keel.Artifacts;
using Keel.Core.Errors;

namespace Keel.Hosting.Tests;

/// <summary>--prediction-log: what each kind of location becomes, and what is refused at start, naming the option.</summary>
public sealed class PredictionLogBackendTests
{
    private static readonly string DataDir = Path.Combine(Path.GetTempPath(), "keel-plog-backend");
    private static readonly LocalArtifactStore Artifacts = new(Path.Combine(DataDir, "artifacts"));

    [Fact]
    public void The_default_is_json_lines_files_under_the_data_directory()
    {
        var d = PredictionLogBackend.Open(null, DataDir, Artifacts, "file:///artifacts");

        Assert.False(d.IsParquet);
        Assert.Equal($"JSON Lines files under {Path.Combine(DataDir, "predictions")}", d.Description);
    }

    [Theory]
    [InlineData("/var/log/keel")]
    [InlineData("file:///var/log/keel")]
    public void A_directory_gives_json_lines_files_under_it(string location)
    {
        var d = PredictionLogBackend.Open(location, DataDir, Artifacts, "file:///artifacts");

        Assert.False(d.IsParquet);
        Assert.Equal($"JSON Lines files under {Path.Combine("/var/log/keel", "predictions")}", d.Description);
    }

    [Theory]
    [InlineData("mlflow-artifacts:", "Parquet objects under file:///artifacts/predictions")]
    [InlineData("mlflow-artifacts:/", "Parquet objects under file:///artifacts/predictions")]
    [InlineData("s3://logs/keel/", "Parquet objects under s3://logs/keel/predictions")]
    public void S3_and_the_artifacts_destination_give_parquet_objects(string location, string description)
    {
        var d = PredictionLogBackend.Open(location, DataDir, Artifacts, "file:///artifacts");

        Assert.True(d.IsParquet);
        Assert.Equal(description, d.Description);
    }

    [Theory]
    [InlineData("ftp://logs.example/keel")]
    [InlineData("http://logs.example/keel")]
    [InlineData("mlflow-artifacts:/elsewhere")]
    [InlineData("")]
    [InlineData("s3://")]
    [InlineData("dir\u0001name")]
    public void Other_locations_are_refused_naming_the_option(string location)
    {
        var e = Assert.Throws<KeelException>(() => PredictionLogBackend.Open(location, DataDir, Artifacts, "file:///artifacts"));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("--prediction-log", e.Message, StringComparison.Ordinal);
    }
}
