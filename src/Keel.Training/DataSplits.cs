using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.Training;

/// <summary>
/// The featurized train/validation views every trial reads. Featurization runs once here, not per
/// trial, and the results are cached in ML.NET's column cache (one copy of Features and Label);
/// trials then only fit a trainer. Holdout and time-ordered splits fit the featurizer on the
/// training rows; k-fold fits it once on all rows, a deliberate trade: the folds share one cached
/// copy instead of k, and only unsupervised statistics (means, min/max, vocabularies) are shared.
/// </summary>
internal sealed class DataSplits
{
    private DataSplits(ITransformer featurizer, IDataView featurizerInput, IReadOnlyList<(IDataView Train, IDataView Valid)> folds, IDataView fullFeaturized, long trainRows, long validRows)
    {
        Featurizer = featurizer;
        FeaturizerInput = featurizerInput;
        Folds = folds;
        FullFeaturized = fullFeaturized;
        TrainRows = trainRows;
        ValidRows = validRows;
    }

    public ITransformer Featurizer { get; }

    /// <summary>The label-prepared view the featurizer was fitted on (its schema is the model's input schema plus Label).</summary>
    public IDataView FeaturizerInput { get; }

    public IReadOnlyList<(IDataView Train, IDataView Valid)> Folds { get; }

    /// <summary>All rows featurized: what the final k-fold model is refitted on.</summary>
    public IDataView FullFeaturized { get; }

    public long TrainRows { get; }

    public long ValidRows { get; }

    public static DataSplits Build(MLContext context, TrainingSpec spec, FeaturePipeline pipeline, IDataView prepared)
    {
        var validation = spec.Validation;
        if (validation.Kind == ValidationKind.KFold)
        {
            var featurizer = pipeline.BuildFeaturizer(context).Fit(prepared);
            var all = context.Data.Cache(featurizer.Transform(prepared));
            var rows = Fill(all);
            var folds = context.Data.CrossValidationSplit(all, validation.Folds, seed: spec.Seed)
                .Select(f => (f.TrainSet, f.TestSet)).ToList();
            return new DataSplits(featurizer, prepared, folds, all, rows, rows);
        }

        IDataView train, valid;
        if (validation.Kind == ValidationKind.TimeOrdered)
        {
            var column = validation.TimeColumn!;
            var times = prepared.GetColumn<float>(column).Where(t => !float.IsNaN(t)).Order().ToArray();
            var cut = times.Length == 0 ? 0 : times[Math.Clamp((int)Math.Floor(times.Length * (1 - validation.Fraction)), 0, times.Length - 1)];
            train = context.Data.FilterRowsByColumn(prepared, column, upperBound: cut);
            valid = context.Data.FilterRowsByColumn(prepared, column, lowerBound: cut);
        }
        else
        {
            var split = context.Data.TrainTestSplit(prepared, validation.Fraction, seed: spec.Seed);
            (train, valid) = (split.TrainSet, split.TestSet);
        }

        var fitted = pipeline.BuildFeaturizer(context).Fit(train);
        var trainCached = context.Data.Cache(fitted.Transform(train));
        var validCached = context.Data.Cache(fitted.Transform(valid));
        var trainRows = Fill(trainCached);
        var validRows = Fill(validCached);
        return new DataSplits(fitted, train, [(trainCached, validCached)], trainCached, trainRows, validRows);
    }

    /// <summary>Reads Features and Label once so the cache is full before trials read it from many threads.</summary>
    private static long Fill(IDataView cached)
    {
        var columns = new[] { cached.Schema[FeaturePipeline.Features], cached.Schema[FeaturePipeline.Label] };
        using var cursor = cached.GetRowCursor(columns);
        long rows = 0;
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }
}
