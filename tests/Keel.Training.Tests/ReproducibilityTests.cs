using Xunit;

namespace Keel.Training.Tests;

public sealed class ReproducibilityTests
{
    public static TheoryData<string, TrainingTask, string, string> Families => new()
    {
        { "lightgbm", TrainingTask.Binary, "breast_cancer.csv", "diagnosis" },
        { "fasttree", TrainingTask.Binary, "breast_cancer.csv", "diagnosis" },
        { "fastforest", TrainingTask.Binary, "breast_cancer.csv", "diagnosis" },
        { "sdca", TrainingTask.Binary, "breast_cancer.csv", "diagnosis" },
        { "lbfgs", TrainingTask.Binary, "breast_cancer.csv", "diagnosis" },
        { "lightgbm", TrainingTask.Multiclass, "wine.csv", "class" },
        { "fasttree", TrainingTask.Multiclass, "wine.csv", "class" },
        { "sdca", TrainingTask.Multiclass, "wine.csv", "class" },
        { "lbfgs", TrainingTask.Multiclass, "wine.csv", "class" },
        { "fastforest", TrainingTask.Regression, "diabetes.csv", "progression" },
        { "sdca", TrainingTask.Regression, "diabetes.csv", "progression" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Same_spec_twice_gives_identical_metrics(string trainer, TrainingTask task, string file, string label)
    {
        using var fx = new TrainingFixture();
        // Three trials run in parallel: scheduling differs between the runs, results must not.
        var spec = new TrainingSpec { Data = TrainingFixture.DataFile(file), Label = label, Task = task, Trials = 3, Trainers = [trainer], Parallelism = 2, Seed = 11 };
        var first = await fx.Runner().RunAsync(spec);
        var second = await fx.Runner().RunAsync(spec);
        Assert.Equal(first.Best.Index, second.Best.Index);
        Assert.Equal(first.Metrics.OrderBy(kv => kv.Key), second.Metrics.OrderBy(kv => kv.Key));
        Assert.Equal(first.Trials.Select(t => t.Score), second.Trials.Select(t => t.Score));
        Assert.Equal(first.FeatureImportance.OrderBy(kv => kv.Key), second.FeatureImportance.OrderBy(kv => kv.Key));
        Assert.Equal(first.DatasetHash, second.DatasetHash);
    }
}
