using Keel.Core.Tracking;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>What one quickstart run logged, for the summary.</summary>
internal sealed record QuickstartResult(string RunId, SimulatedTraining Config, IReadOnlyList<Metric> Curves)
{
    public Metric BestAccuracy => Curves.Where(m => m.Key == "val_accuracy").MaxBy(m => m.Value);

    public double FinalValLoss => Curves.Where(m => m.Key == "val_loss").MaxBy(m => m.Step).Value;

    public IEnumerable<Metric> Series(string key) => Curves.Where(m => m.Key == key).OrderBy(m => m.Step);
}
