using Keel.Core.Errors;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.Training;

/// <summary>
/// The training data as ML.NET sees it: a typed <see cref="TextLoader"/> over the file (streamed,
/// never materialised by Keel), the feature columns with their roles, and the label's values.
/// </summary>
internal sealed class DataSource
{
    private DataSource(TrainingSpec spec, string csvPath, List<ColumnProfile> columns, long rows, string hash)
    {
        Spec = spec;
        CsvPath = csvPath;
        Columns = columns;
        Rows = rows;
        Hash = hash;
    }

    public TrainingSpec Spec { get; }

    /// <summary>The CSV the loader reads: the data file itself, or a temporary conversion of a Parquet file.</summary>
    public string CsvPath { get; }

    /// <summary>Whether <see cref="CsvPath"/> is a temporary file to delete after training.</summary>
    public bool IsTemporary => CsvPath != Spec.Data;

    public IReadOnlyList<ColumnProfile> Columns { get; }

    public long Rows { get; }

    /// <summary>xxh128:hex of the file's bytes.</summary>
    public string Hash { get; }

    public IReadOnlyList<ColumnProfile> Features { get; private set; } = [];

    /// <summary>Classification label values in label-index order (binary: negative, positive).</summary>
    public IReadOnlyList<string> LabelValues { get; private set; } = [];

    public ColumnProfile LabelColumn => Columns.First(c => c.Name == Spec.Label);

    public static async Task<DataSource> OpenAsync(TrainingSpec spec, CancellationToken cancellationToken)
    {
        if (!File.Exists(spec.Data))
        {
            throw KeelException.InvalidParameter($"Field 'data': file '{spec.Data}' does not exist.");
        }

        var hashTask = DatasetHash.ComputeAsync(spec.Data, cancellationToken);
        var csv = spec.Data;
        if (spec.Data.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            csv = Path.Combine(Path.GetTempPath(), $"keel-train-{Guid.NewGuid():N}.csv");
            spec = spec with { Separator = ',' };
        }

        try
        {
            if (csv != spec.Data)
            {
                await ParquetToCsv.ConvertAsync(spec.Data, csv, cancellationToken).ConfigureAwait(false);
            }

            var (columns, rows) = await Task.Run(() => CsvScanner.Scan(csv, spec.Separator, cancellationToken), cancellationToken).ConfigureAwait(false);
            var source = new DataSource(spec, csv, columns, rows, await hashTask.ConfigureAwait(false));
            source.Resolve();
            return source;
        }
        catch when (csv != spec.Data)
        {
            File.Delete(csv);
            throw;
        }
    }

    /// <summary>The loader: numeric features as Single, everything else (and classification labels) as text.</summary>
    public IDataView Load(MLContext context)
    {
        var loaderColumns = Columns.Select(c => new TextLoader.Column(c.Name, IsFloat(c) ? DataKind.Single : DataKind.String, c.Index)).ToArray();
        var loader = context.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = loaderColumns,
            HasHeader = true,
            Separators = [Spec.Separator],
            AllowQuoting = true,
            TrimWhitespace = true,
            MissingRealsAsNaNs = true,
        });
        return loader.Load(CsvPath);
    }

    /// <summary>Whether the loader types the column as a float (numeric features, the regression label, a numeric time column).</summary>
    public bool IsFloat(ColumnProfile column)
    {
        if (column.Name == Spec.Label)
        {
            return Spec.Task == TrainingTask.Regression;
        }

        return column.AllNumeric && !Spec.Categorical.Contains(column.Name) && !Spec.Text.Contains(column.Name);
    }

    private void Resolve()
    {
        var byName = Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        void RequireColumn(string name, string field)
        {
            if (!byName.ContainsKey(name))
            {
                throw KeelException.InvalidParameter($"Field '{field}': column '{name}' is not in '{Spec.Data}' (columns: {string.Join(", ", Columns.Select(c => c.Name))}).");
            }
        }

        RequireColumn(Spec.Label, "label");
        foreach (var c in Spec.Features ?? [])
        {
            RequireColumn(c, "features");
        }

        foreach (var c in Spec.Sensitive)
        {
            RequireColumn(c, "fairness.sensitive");
        }

        foreach (var c in Spec.Categorical.Concat(Spec.Text).Concat(Spec.Exclude))
        {
            RequireColumn(c, "categorical/text/exclude");
        }

        var time = Spec.Validation.Kind == ValidationKind.TimeOrdered ? Spec.Validation.TimeColumn : null;
        if (time is not null)
        {
            RequireColumn(time, "validation.time_column");
            if (!byName[time].AllNumeric)
            {
                throw KeelException.InvalidParameter($"Field 'validation.time_column': column '{time}' must be numeric (e.g. epoch seconds or an ordinal).");
            }
        }

        var label = byName[Spec.Label];
        if (Spec.Task == TrainingTask.Regression && !label.AllNumeric)
        {
            throw KeelException.InvalidParameter($"Field 'label': column '{Spec.Label}' is not numeric, so it cannot be a regression target.");
        }

        if (Spec.Task != TrainingTask.Regression)
        {
            LabelValues = ResolveLabelValues(label);
        }

        var names = Spec.Features ?? [.. Columns.Select(c => c.Name).Where(n => n != Spec.Label && n != time && !Spec.Exclude.Contains(n))];
        var features = names.Select(n => byName[n]).ToList();
        foreach (var f in features)
        {
            f.Role = IsFloat(f) ? ColumnRole.Numeric
                : Spec.Text.Contains(f.Name) ? ColumnRole.Text
                : !f.DistinctOverflow && f.Distinct.Count <= Spec.MaxOneHotValues ? ColumnRole.OneHot
                // Long values with spaces that rarely repeat read as prose, not as codes.
                : f.TotalLength / Math.Max(1, Rows - f.Missing) > 20 && f.Spaces / Math.Max(1, Rows - f.Missing) >= 2 ? ColumnRole.Text
                : ColumnRole.Hashed;
        }

        if (features.Count == 0)
        {
            throw KeelException.InvalidParameter("Field 'features': no feature columns are left.");
        }

        Features = features;
    }

    private List<string> ResolveLabelValues(ColumnProfile label)
    {
        if (label.DistinctOverflow || label.Distinct.Count > 1000)
        {
            throw KeelException.InvalidParameter($"Field 'label': column '{label.Name}' has too many distinct values for classification.");
        }

        var values = label.Distinct.Order(StringComparer.Ordinal).ToList();
        if (Spec.Task == TrainingTask.Multiclass)
        {
            if (values.Count < 2)
            {
                throw KeelException.InvalidParameter($"Field 'label': column '{label.Name}' has {values.Count} distinct value(s); multiclass needs at least 2.");
            }

            return values;
        }

        if (values.Count != 2)
        {
            throw KeelException.InvalidParameter($"Field 'task': binary needs exactly 2 label values, column '{label.Name}' has {values.Count} ({string.Join(", ", values.Take(5))}).");
        }

        var positive = Spec.PositiveClass
            ?? values.FirstOrDefault(v => v is "1" or "true" or "True" or "TRUE" or "yes" or "Yes")
            ?? values[1];
        if (!values.Contains(positive))
        {
            throw KeelException.InvalidParameter($"Field 'positive_class': '{positive}' is not a value of '{label.Name}' ({string.Join(", ", values)}).");
        }

        return [values.First(v => v != positive), positive];
    }
}
