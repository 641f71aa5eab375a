using Keel.ML.Data;

namespace Keel.ML;

/// <summary>The outputs of <see cref="IModel.Predict"/> for a batch, one value (or vector) per input row.</summary>
public sealed class PredictionResult
{
    /// <summary>Creates a result.</summary>
    public PredictionResult(int rowCount, IReadOnlyList<PredictionOutput> outputs)
    {
        RowCount = rowCount;
        Outputs = outputs;
    }

    /// <summary>Number of rows scored.</summary>
    public int RowCount { get; }

    /// <summary>Every output, in model order.</summary>
    public IReadOnlyList<PredictionOutput> Outputs { get; }

    /// <summary>The prediction output, if the model has one.</summary>
    public PredictionOutput? Prediction => Outputs.FirstOrDefault(o => o.Role == PredictionRole.Prediction);

    /// <summary>
    /// The outputs as flat table columns for batch files: <c>prediction</c> (width-1 value),
    /// <c>probability_&lt;class&gt;</c> per class, and other outputs by name (<c>name_i</c> per slot).
    /// </summary>
    public IReadOnlyList<BatchColumn> ToTableColumns()
    {
        var columns = new List<BatchColumn>();
        foreach (var o in Outputs)
        {
            var c = o.Column;
            var baseName = o.Role switch
            {
                PredictionRole.Prediction => "prediction",
                PredictionRole.Probabilities => "probability",
                _ => c.Name,
            };
            if (c.Width == 1)
            {
                columns.Add(c.Rename(baseName));
                continue;
            }

            for (var slot = 0; slot < c.Width; slot++)
            {
                var name = o.SlotNames is { } names && slot < names.Count ? names[slot] : slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
                columns.Add(SliceSlot(c, slot, $"{baseName}_{name}"));
            }
        }

        return columns;
    }

    private static BatchColumn SliceSlot(BatchColumn c, int slot, string name)
    {
        var rows = c.RowCount;
        switch (c.Data)
        {
            case float[] f:
            {
                var r = new float[rows];
                for (var i = 0; i < rows; i++)
                {
                    r[i] = f[(i * c.Width) + slot];
                }

                return BatchColumn.Of(name, r);
            }

            case double[] d:
            {
                var r = new double[rows];
                for (var i = 0; i < rows; i++)
                {
                    r[i] = d[(i * c.Width) + slot];
                }

                return BatchColumn.Of(name, r);
            }

            case long[] l:
            {
                var r = new long[rows];
                for (var i = 0; i < rows; i++)
                {
                    r[i] = l[(i * c.Width) + slot];
                }

                return BatchColumn.Of(name, r);
            }

            default:
            {
                var r = new string?[rows];
                for (var i = 0; i < rows; i++)
                {
                    r[i] = Convert.ToString(c.Data.GetValue((i * c.Width) + slot), System.Globalization.CultureInfo.InvariantCulture);
                }

                return BatchColumn.Of(name, r);
            }
        }
    }
}
