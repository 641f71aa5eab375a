namespace Keel.Cli.Commands.Quickstart;

/// <summary>Data sets shipped beside the CLI (copied from the repository's data/ folder at build time).</summary>
internal static class SampleData
{
    /// <summary>Wisconsin diagnostic breast cancer, 569 rows, label <c>diagnosis</c> (malignant/benign).</summary>
    public static string BreastCancer => Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv");

    /// <summary>A Great Expectations suite (1.x JSON) for <see cref="BreastCancer"/>: the quickstart's data gate.</summary>
    public static string BreastCancerSuite => Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.suite.json");
}
