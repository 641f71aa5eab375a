using System.Globalization;
using System.Text;
using Keel.Core.Artifacts;
using Keel.Core.Tracking;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>The files a quickstart run logs: its config (JSON), its curves (CSV) and a short report (Markdown).</summary>
internal static class QuickstartArtifacts
{
    private const string ProxyScheme = "mlflow-artifacts:";

    public static async Task WriteAsync(IArtifactStore store, Run run, SimulatedTraining config, IReadOnlyList<Metric> curves, CancellationToken cancellationToken)
    {
        var root = StorePath(run.Info);
        var invariant = CultureInfo.InvariantCulture;
        var json = string.Create(invariant, $$"""
            {
              "model": "gradient_boosted_trees",
              "learning_rate": {{config.LearningRate}},
              "max_depth": {{config.MaxDepth}},
              "epochs": {{SimulatedTraining.Epochs}},
              "seed": {{config.Seed}}
            }

            """);
        await WriteTextAsync(store, $"{root}/config.json", json, cancellationToken).ConfigureAwait(false);

        var csv = new StringBuilder("epoch,loss,val_loss,val_accuracy\n");
        foreach (var epoch in curves.GroupBy(m => m.Step))
        {
            csv.Append(invariant, $"{epoch.Key},{Value(epoch, "loss")},{Value(epoch, "val_loss")},{Value(epoch, "val_accuracy")}\n");
        }

        await WriteTextAsync(store, $"{root}/reports/curves.csv", csv.ToString(), cancellationToken).ConfigureAwait(false);

        var best = curves.Where(m => m.Key == "val_accuracy").MaxBy(m => m.Value);
        var report = string.Create(invariant, $"""
            # {config.Name}

            | learning_rate | max_depth | best val_accuracy | at epoch |
            |---|---|---|---|
            | {config.LearningRate} | {config.MaxDepth} | {best.Value:0.0000} | {best.Step} |

            """);
        await WriteTextAsync(store, $"{root}/reports/summary.md", report, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's artifact root as an artifact-store path: the part after <c>mlflow-artifacts:/</c>.</summary>
    public static string StorePath(RunInfo info) =>
        info.ArtifactUri.StartsWith(ProxyScheme, StringComparison.Ordinal)
            ? info.ArtifactUri[ProxyScheme.Length..].Trim('/')
            // Any other scheme: fall back to the layout the embedded store uses.
            : $"{info.ExperimentId}/{info.RunId}/artifacts";

    private static string Value(IEnumerable<Metric> epoch, string key) =>
        epoch.First(m => m.Key == key).Value.ToString(CultureInfo.InvariantCulture);

    private static async Task WriteTextAsync(IArtifactStore store, string path, string text, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await store.WriteAsync(path, content, cancellationToken).ConfigureAwait(false);
    }
}
