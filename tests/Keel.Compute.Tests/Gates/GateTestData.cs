using Keel.Compute.Gates;

namespace Keel.Compute.Tests.Gates;

/// <summary>Deterministic evaluation sets for gate tests.</summary>
internal static class GateTestData
{
    /// <summary>Binary labels (alternating) and a champion that is right on every row but the first <paramref name="championWrong"/> and a challenger right on every row but <paramref name="challengerWrong"/> (probabilities 0.8 / 0.2 either way).</summary>
    public static (double[] Labels, double[] Champion, double[] Challenger) BinaryWithErrors(int rows, IEnumerable<int> championWrong, IEnumerable<int> challengerWrong)
    {
        var labels = Enumerable.Range(0, rows).Select(i => (double)(i % 2)).ToArray();
        var champion = labels.Select(y => y == 1 ? 0.8 : 0.2).ToArray();
        var challenger = (double[])champion.Clone();
        foreach (var i in championWrong)
        {
            champion[i] = 1 - champion[i];
        }

        foreach (var i in challengerWrong)
        {
            challenger[i] = 1 - challenger[i];
        }

        return (labels, champion, challenger);
    }

    /// <summary>Binary labels with scores = signal·label + noise per model.</summary>
    public static (double[] Labels, double[] Champion, double[] Challenger) BinaryScores(int rows, double championSignal, double challengerSignal, int seed)
    {
        var rng = new Random(seed);
        var labels = new double[rows];
        var champion = new double[rows];
        var challenger = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            labels[i] = rng.NextDouble() < 0.5 ? 1 : 0;
            var shared = Normal(rng);
            champion[i] = Sigmoid(shared + (championSignal * (labels[i] - 0.5)) + Normal(rng));
            challenger[i] = Sigmoid(shared + (challengerSignal * (labels[i] - 0.5)) + Normal(rng));
        }

        return (labels, champion, challenger);
    }

    /// <summary>Regression targets with per-model Gaussian errors of the given spreads.</summary>
    public static (double[] Labels, double[] Champion, double[] Challenger) Regression(int rows, double championNoise, double challengerNoise, int seed)
    {
        var rng = new Random(seed);
        var labels = new double[rows];
        var champion = new double[rows];
        var challenger = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            labels[i] = 10 + (3 * Normal(rng));
            var shared = Normal(rng);
            champion[i] = labels[i] + (championNoise * ((0.5 * shared) + Normal(rng)));
            challenger[i] = labels[i] + (challengerNoise * ((0.5 * shared) + Normal(rng)));
        }

        return (labels, champion, challenger);
    }

    public static GateInputs Inputs(GateTask task, double[] labels, double[]? champion, double[] challenger, GatePolicy policy) => new()
    {
        Policy = policy,
        Task = task,
        Labels = labels,
        ChampionPredictions = champion,
        ChallengerPredictions = challenger,
    };

    public static MetricRule Higher(string name, double? bound = null, double? maxRegression = null, double? maxRelative = null, SignificanceRequirement? significance = null) => new()
    {
        Name = name,
        Direction = MetricDirection.HigherIsBetter,
        Bound = bound,
        MaxRegression = maxRegression,
        MaxRelativeRegression = maxRelative,
        Significance = significance,
    };

    public static MetricRule Lower(string name, double? bound = null, double? maxRegression = null, double? maxRelative = null, SignificanceRequirement? significance = null) => new()
    {
        Name = name,
        Direction = MetricDirection.LowerIsBetter,
        Bound = bound,
        MaxRegression = maxRegression,
        MaxRelativeRegression = maxRelative,
        Significance = significance,
    };

    public static GateCheck Check(GateReport report, GateCheckKind kind, string name, string? sliceValue = null) =>
        report.Checks.Single(c => c.Kind == kind && c.Name == name && c.SliceValue == sliceValue);

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
