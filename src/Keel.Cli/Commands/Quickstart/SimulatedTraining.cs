using Keel.Core.Tracking;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>
/// A made-up training job whose curves behave like real ones: a higher learning rate converges
/// faster but settles higher, a deeper model fits better but overfits late. Seeded noise makes a run
/// reproducible from its config.
/// </summary>
internal sealed record SimulatedTraining(string Name, double LearningRate, int MaxDepth, int Seed)
{
    public const int Epochs = 30;

    public static readonly IReadOnlyList<SimulatedTraining> Grid =
    [
        new("gbt-lr0.3-d4", 0.3, 4, 7),
        new("gbt-lr0.1-d6", 0.1, 6, 11),
        new("gbt-lr0.03-d8", 0.03, 8, 13),
        new("gbt-lr0.1-d10", 0.1, 10, 17),
    ];

    /// <summary>loss, val_loss and val_accuracy for epochs 0..Epochs-1, timestamped one simulated second apart.</summary>
    public IReadOnlyList<Metric> Curves(long startTime)
    {
        var random = new Random(Seed);
        var speed = Math.Min(LearningRate * 8, 1.2) * 0.35;
        var floor = 0.18 + (0.06 * Math.Abs(MaxDepth - 6) / 2.0) + (LearningRate > 0.2 ? 0.07 : 0);
        var overfit = Math.Max(0, MaxDepth - 7) * 0.004;
        var metrics = new List<Metric>(Epochs * 3);
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            var ts = startTime + (epoch * 1000L);
            var loss = floor + ((2.3 - floor) * Math.Exp(-speed * epoch)) + Noise(random, 0.015);
            var valLoss = (loss * 1.06) + (overfit * Math.Max(0, epoch - 12)) + Noise(random, 0.02);
            var accuracy = Math.Clamp(1.0 - (valLoss / 2.6) + Noise(random, 0.005), 0, 1);
            metrics.Add(new Metric("loss", Math.Round(loss, 5), ts, epoch));
            metrics.Add(new Metric("val_loss", Math.Round(valLoss, 5), ts, epoch));
            metrics.Add(new Metric("val_accuracy", Math.Round(accuracy, 5), ts, epoch));
        }

        return metrics;
    }

    private static double Noise(Random random, double scale) => (random.NextDouble() - 0.5) * 2 * scale;
}
