namespace Keel.Compute.Gates;

/// <summary>Picks and runs the significance test for one metric on paired predictions.</summary>
internal static class GateSignificanceRunner
{
    /// <summary>
    /// Superiority (or none): McNemar for accuracy, DeLong for AUC (when each class has two rows),
    /// the paired bootstrap otherwise. Non-inferiority: the paired bootstrap with the allowed
    /// regression as its margin, for every metric (McNemar and DeLong test equality only).
    /// </summary>
    public static GateSignificance Run(GateData data, string metric, MetricDirection direction, SignificanceRequirement requirement, double margin, GatePolicy policy)
    {
        var champion = data.Champion ?? throw new InvalidOperationException("No champion to test against.");
        var alpha = policy.Alpha;
        if (requirement != SignificanceRequirement.NonInferiority)
        {
            var classification = data.Task is GateTask.Binary or GateTask.Multiclass;
            if (classification && metric is "accuracy" or "micro_accuracy")
            {
                var m = McNemarTest.Compare(data.Correct(champion), data.Correct(data.Challenger));
                var better = direction == MetricDirection.HigherIsBetter ? m.ChallengerOnlyCorrect > m.ChampionOnlyCorrect : m.ChallengerOnlyCorrect < m.ChampionOnlyCorrect;
                return new GateSignificance
                {
                    Test = m.Method == McNemarMethod.Exact ? "mcnemar_exact" : "mcnemar_chi2",
                    Requirement = requirement,
                    PValue = m.PValue,
                    Alpha = alpha,
                    Significant = better && m.PValue < alpha,
                    Statistic = m.Statistic,
                    ChallengerOnlyCorrect = m.ChallengerOnlyCorrect,
                    ChampionOnlyCorrect = m.ChampionOnlyCorrect,
                };
            }

            if (data.Task == GateTask.Binary && metric == "auc" && HasTwoOfEachClass(data.BinaryLabels))
            {
                var d = DeLongTest.Compare(data.BinaryLabels, champion, data.Challenger);
                var improvement = direction == MetricDirection.HigherIsBetter ? d.Difference : -d.Difference;
                return new GateSignificance
                {
                    Test = "delong",
                    Requirement = requirement,
                    PValue = d.PValue,
                    Alpha = alpha,
                    Significant = improvement > 0 && d.PValue < alpha,
                    Statistic = double.IsFinite(d.Z) ? d.Z : null,
                    StandardError = d.StandardError,
                };
            }

            margin = 0;
        }

        var options = new BootstrapOptions { Resamples = policy.BootstrapResamples, Seed = policy.BootstrapSeed, Confidence = policy.Confidence, Margin = margin };
        var b = PairedBootstrap.Compare(data.Rows, data.RowMetric(metric, champion), data.RowMetric(metric, data.Challenger), direction, options);
        return new GateSignificance
        {
            Test = "bootstrap",
            Requirement = requirement,
            PValue = b.PValue,
            Alpha = alpha,
            Significant = b.PValue < alpha,
            MeanDifference = Finite(b.MeanDifference),
            CiLower = Finite(b.CiLower),
            CiUpper = Finite(b.CiUpper),
            Confidence = b.Confidence,
            Resamples = b.Resamples,
            Seed = b.Seed,
            Margin = requirement == SignificanceRequirement.NonInferiority ? margin : null,
        };
    }

    private static bool HasTwoOfEachClass(bool[] labels)
    {
        var positives = labels.Count(l => l);
        return positives >= 2 && labels.Length - positives >= 2;
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
