using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Keel.Training;

/// <summary>
/// The trainer families, their search spaces and how a configuration becomes an ML.NET trainer.
/// Every trainer runs single-threaded with an explicit seed: trials run in parallel with each
/// other instead, and one thread per trainer is what makes the same trial give the same model
/// whatever else runs beside it. "Resource" is the fraction of the full iteration/tree count a
/// successive-halving rung may spend.
/// </summary>
internal static class TrainerCatalog
{
    public const string LightGbm = "lightgbm";
    public const string FastTree = "fasttree";
    public const string FastForest = "fastforest";
    public const string Sdca = "sdca";
    public const string Lbfgs = "lbfgs";

    public static readonly IReadOnlyList<string> Known = [LightGbm, FastTree, FastForest, Sdca, Lbfgs];

    /// <summary>Families that fit a task (L-BFGS has no plain least-squares regressor in ML.NET, so regression uses SDCA for the linear family).</summary>
    public static IReadOnlyList<string> For(TrainingTask task, IReadOnlyList<string> wanted)
    {
        var all = task == TrainingTask.Regression ? [LightGbm, FastTree, FastForest, Sdca] : Known;
        var chosen = wanted.Count == 0 ? all : [.. all.Where(wanted.Contains)];
        return chosen.Count > 0 ? chosen : throw Core.Errors.KeelException.InvalidParameter(
            $"Field 'search.trainers': none of [{string.Join(", ", wanted)}] can train a {task.ToString().ToLowerInvariant()} model.");
    }

    /// <summary>Draws configuration <paramref name="index"/> from the seed alone, so the list is fixed before any trial runs.</summary>
    public static TrialConfig Draw(int seed, int index, IReadOnlyList<string> families)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        // Round-robin over families keeps every family in every bracket; values are random.
        var family = families[index % families.Count];
        var p = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (family)
        {
            case LightGbm:
                p["iterations"] = LogInt(random, 50, 400);
                p["learning_rate"] = Log(random, 0.02, 0.3);
                p["num_leaves"] = LogInt(random, 4, 64);
                p["min_examples_per_leaf"] = LogInt(random, 2, 40);
                p["l2_regularization"] = Log(random, 1e-3, 10);
                break;
            case FastTree:
                p["trees"] = LogInt(random, 50, 300);
                p["learning_rate"] = Log(random, 0.02, 0.3);
                p["num_leaves"] = LogInt(random, 4, 64);
                p["min_examples_per_leaf"] = LogInt(random, 2, 40);
                break;
            case FastForest:
                p["trees"] = LogInt(random, 50, 300);
                p["num_leaves"] = LogInt(random, 4, 64);
                p["min_examples_per_leaf"] = LogInt(random, 2, 20);
                break;
            case Sdca:
                p["l2_regularization"] = Log(random, 1e-6, 1);
                p["l1_regularization"] = Log(random, 1e-6, 0.1);
                p["iterations"] = LogInt(random, 20, 200);
                break;
            default:
                p["l2_regularization"] = Log(random, 1e-4, 1);
                p["l1_regularization"] = Log(random, 1e-4, 1);
                p["iterations"] = LogInt(random, 50, 300);
                break;
        }

        return new TrialConfig(index, family, p, random.Next());
    }

    /// <summary>The ML.NET trainer for a configuration at a fraction of its iteration budget.</summary>
    public static IEstimator<ITransformer> Build(MLContext context, TrainingTask task, TrialConfig config, double resource)
    {
        var p = config.Hyperparameters;
        int Scaled(string key) => Math.Max(5, (int)Math.Round(p[key] * resource));
        const string label = FeaturePipeline.Label;
        const string features = FeaturePipeline.Features;
        return (task, config.Trainer) switch
        {
            (TrainingTask.Binary, LightGbm) => context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = Scaled("iterations"), LearningRate = p["learning_rate"],
                NumberOfLeaves = (int)p["num_leaves"], MinimumExampleCountPerLeaf = (int)p["min_examples_per_leaf"], NumberOfThreads = 1, Seed = config.Seed,
                Booster = new GradientBooster.Options { L2Regularization = p["l2_regularization"] }, Verbose = false, Silent = true,
            }),
            (TrainingTask.Multiclass, LightGbm) => context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = Scaled("iterations"), LearningRate = p["learning_rate"],
                NumberOfLeaves = (int)p["num_leaves"], MinimumExampleCountPerLeaf = (int)p["min_examples_per_leaf"], NumberOfThreads = 1, Seed = config.Seed,
                Booster = new GradientBooster.Options { L2Regularization = p["l2_regularization"] }, Verbose = false, Silent = true,
            }),
            (TrainingTask.Regression, LightGbm) => context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = Scaled("iterations"), LearningRate = p["learning_rate"],
                NumberOfLeaves = (int)p["num_leaves"], MinimumExampleCountPerLeaf = (int)p["min_examples_per_leaf"], NumberOfThreads = 1, Seed = config.Seed,
                Booster = new GradientBooster.Options { L2Regularization = p["l2_regularization"] }, Verbose = false, Silent = true,
            }),
            (TrainingTask.Binary, FastTree) => context.BinaryClassification.Trainers.FastTree(FastTreeBinary(config, Scaled("trees"))),
            (TrainingTask.Multiclass, FastTree) => context.MulticlassClassification.Trainers.OneVersusAll(
                context.BinaryClassification.Trainers.FastTree(FastTreeBinary(config, Scaled("trees"))), label),
            (TrainingTask.Regression, FastTree) => context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = Scaled("trees"), LearningRate = p["learning_rate"],
                NumberOfLeaves = (int)p["num_leaves"], MinimumExampleCountPerLeaf = (int)p["min_examples_per_leaf"], NumberOfThreads = 1, Seed = config.Seed,
            }),
            (TrainingTask.Binary, FastForest) => context.BinaryClassification.Trainers.FastForest(FastForestBinary(config, Scaled("trees"))),
            (TrainingTask.Multiclass, FastForest) => context.MulticlassClassification.Trainers.OneVersusAll(
                context.BinaryClassification.Trainers.FastForest(FastForestBinary(config, Scaled("trees"))), label),
            (TrainingTask.Regression, FastForest) => context.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = Scaled("trees"),
                NumberOfLeaves = (int)p["num_leaves"], MinimumExampleCountPerLeaf = (int)p["min_examples_per_leaf"], NumberOfThreads = 1, Seed = config.Seed,
            }),
            (TrainingTask.Binary, Sdca) => context.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L2Regularization = (float)p["l2_regularization"], L1Regularization = (float)p["l1_regularization"],
                MaximumNumberOfIterations = Scaled("iterations"), NumberOfThreads = 1,
            }),
            (TrainingTask.Multiclass, Sdca) => context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L2Regularization = (float)p["l2_regularization"], L1Regularization = (float)p["l1_regularization"],
                MaximumNumberOfIterations = Scaled("iterations"), NumberOfThreads = 1,
            }),
            (TrainingTask.Regression, Sdca) => context.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L2Regularization = (float)p["l2_regularization"], L1Regularization = (float)p["l1_regularization"],
                MaximumNumberOfIterations = Scaled("iterations"), NumberOfThreads = 1,
            }),
            (TrainingTask.Binary, Lbfgs) => context.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L2Regularization = (float)p["l2_regularization"], L1Regularization = (float)p["l1_regularization"],
                MaximumNumberOfIterations = Scaled("iterations"), NumberOfThreads = 1,
            }),
            (TrainingTask.Multiclass, Lbfgs) => context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L2Regularization = (float)p["l2_regularization"], L1Regularization = (float)p["l1_regularization"],
                MaximumNumberOfIterations = Scaled("iterations"), NumberOfThreads = 1,
            }),
            _ => throw Core.Errors.KeelException.InvalidParameter($"Trainer '{config.Trainer}' cannot train a {task.ToString().ToLowerInvariant()} model."),
        };
    }

    /// <summary>Whether the trainer's binary output lacks a probability (FastForest), so a Platt calibrator is fitted after it.</summary>
    public static bool NeedsCalibration(TrainingTask task, string trainer) => task == TrainingTask.Binary && trainer == FastForest;

    private static FastTreeBinaryTrainer.Options FastTreeBinary(TrialConfig config, int trees) => new()
    {
        LabelColumnName = FeaturePipeline.Label, FeatureColumnName = FeaturePipeline.Features, NumberOfTrees = trees,
        LearningRate = config.Hyperparameters["learning_rate"], NumberOfLeaves = (int)config.Hyperparameters["num_leaves"],
        MinimumExampleCountPerLeaf = (int)config.Hyperparameters["min_examples_per_leaf"], NumberOfThreads = 1, Seed = config.Seed,
    };

    private static FastForestBinaryTrainer.Options FastForestBinary(TrialConfig config, int trees) => new()
    {
        LabelColumnName = FeaturePipeline.Label, FeatureColumnName = FeaturePipeline.Features, NumberOfTrees = trees,
        NumberOfLeaves = (int)config.Hyperparameters["num_leaves"], MinimumExampleCountPerLeaf = (int)config.Hyperparameters["min_examples_per_leaf"],
        NumberOfThreads = 1, Seed = config.Seed,
    };

    private static double Log(Random random, double min, double max) => Math.Exp(Math.Log(min) + (random.NextDouble() * (Math.Log(max) - Math.Log(min))));

    private static int LogInt(Random random, int min, int max) => (int)Math.Round(Log(random, min, max + 0.999) - 0.499);
}
