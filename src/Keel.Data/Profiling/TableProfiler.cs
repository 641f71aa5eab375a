using System.Collections;
using System.Globalization;
using Keel.Data.Tables;

namespace Keel.Data.Profiling;

/// <summary>
/// Profiles a table with DuckDB in a few passes: one pass for counts, moments, extremes and
/// quantiles of every column at once; then exact distinct counts where the estimate is under the
/// limit, histograms of numeric columns, and top values of categorical columns.
/// </summary>
public sealed class TableProfiler
{
    private static readonly double[] QuantileLevels = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

    /// <summary>Profiles <paramref name="source"/>.</summary>
    public async Task<TableProfile> ProfileAsync(TableSource source, ProfileOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= ProfileOptions.Default;
        await using var table = await DuckTable.OpenAsync(source, ct).ConfigureAwait(false);
        return await ProfileAsync(table, options, ct).ConfigureAwait(false);
    }

    internal static async Task<TableProfile> ProfileAsync(DuckTable table, ProfileOptions options, CancellationToken ct)
    {
        var plans = table.Columns.Select(c => new ColumnPlan(c)).ToList();

        // Pass 0: the row count and the numeric ranges (integer ranges come from Parquet and
        // zone-map statistics without a scan), which fix the histogram edges for pass 1.
        var rangeExprs = new List<string> { "count(*)" };
        var numeric = plans.Where(p => p.Column.IsNumeric).ToList();
        foreach (var plan in numeric)
        {
            rangeExprs.Add(plan.RangeExpression("min"));
            rangeExprs.Add(plan.RangeExpression("max"));
        }

        var ranges = await table.QuerySingleAsync($"SELECT {string.Join(", ", rangeExprs)} FROM t", ct).ConfigureAwait(false);
        var rowCount = JsonValues.ToLong(ranges[0]);
        for (var i = 0; i < numeric.Count; i++)
        {
            numeric[i].ReadRange(ranges[1 + (2 * i)], ranges[2 + (2 * i)]);
        }

        // Pass 1: everything else that one scan can compute. Quantiles are exact up to
        // SampleRows values and otherwise come from a per-column reservoir of that size.
        var exactQuantiles = rowCount <= options.SampleRows;
        var select = new List<string>();
        foreach (var plan in plans)
        {
            plan.FirstSlot = select.Count;
            select.AddRange(plan.FirstPassExpressions(options, exactQuantiles));
        }

        var first = await table.QuerySingleAsync($"SELECT {string.Join(", ", select)} FROM t", ct).ConfigureAwait(false);
        foreach (var plan in plans)
        {
            plan.ReadFirstPass(first, rowCount, exactQuantiles);
        }

        // Pass 2: exact distinct counts where the HyperLogLog estimate is within the limit (with
        // room for its ~2% error); larger columns keep the estimate.
        var exact = plans.Where(p => p.Count > 0 && p.ApproxDistinct <= options.DistinctExactLimit * 1.05).ToList();
        if (exact.Count > 0)
        {
            var row = await table.QuerySingleAsync("SELECT " + string.Join(", ", exact.Select(p => $"count(DISTINCT {p.Ident})")) + " FROM t", ct).ConfigureAwait(false);
            for (var i = 0; i < exact.Count; i++)
            {
                exact[i].ExactDistinct = JsonValues.ToLong(row[i]);
            }
        }

        foreach (var plan in plans.Where(p => p.WantsTopValues(options)))
        {
            var rows = await table.QueryAsync(
                $"SELECT {plan.Ident}, count(*) AS n FROM t WHERE {plan.Ident} IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT {options.TopValues}", ct).ConfigureAwait(false);
            plan.TopValues = rows.Select(r => new ValueCount(JsonValues.From(r[0]), JsonValues.ToLong(r[1]))).ToList();
        }

        return new TableProfile(rowCount, plans.Select(p => p.Build()).ToList());
    }

    private sealed class ColumnPlan(TableColumn column)
    {
        private object?[] _row = [];
        private Histogram? _histogram;

        public TableColumn Column { get; } = column;

        public string Ident { get; } = Sql.Ident(column.Name);

        public int FirstSlot { get; set; }

        public long Count { get; private set; }

        public long RowCount { get; private set; }

        public long ApproxDistinct { get; private set; }

        public long? ExactDistinct { get; set; }

        public bool QuantilesExact { get; private set; }

        private IList? _quantiles;

        public double? FiniteMin { get; private set; }

        public double? FiniteMax { get; private set; }

        public List<ValueCount>? TopValues { get; set; }

        private LogicalType Logical => Column.Logical;

        private bool IsFloat => Logical == LogicalType.Float && !Column.DuckType.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase);

        // Numeric statistics use finite values only: NaN and infinities would poison them.
        private string Finite => IsFloat ? $" FILTER (WHERE isfinite({Ident}))" : "";

        private string AsDouble => $"{Ident}::DOUBLE";

        public string RangeExpression(string fn) => $"{fn}({Ident}){Finite}";

        public void ReadRange(object? min, object? max)
        {
            _min = min;
            _max = max;
            FiniteMin = JsonValues.ToDouble(min);
            FiniteMax = JsonValues.ToDouble(max);
        }

        private object? _min;
        private object? _max;

        public IEnumerable<string> FirstPassExpressions(ProfileOptions options, bool exactQuantiles)
        {
            yield return $"count({Ident})";
            yield return $"approx_count_distinct({Ident})";
            switch (Logical)
            {
                case LogicalType.Integer or LogicalType.Float:
                    var levels = "[" + string.Join(", ", QuantileLevels.Select(q => q.ToString("R", CultureInfo.InvariantCulture))) + "]";
                    yield return $"avg({AsDouble}){Finite}";
                    yield return $"stddev_samp({AsDouble}){Finite}";
                    yield return exactQuantiles
                        ? $"quantile_cont({AsDouble}, {levels}){Finite}"
                        : $"reservoir_quantile({AsDouble}, {levels}, {options.SampleRows}){Finite}";
                    yield return IsFloat ? $"count({Ident}) FILTER (WHERE NOT isfinite({Ident}))" : "NULL";
                    yield return FiniteMin is null ? "NULL" : HistogramExpression(options.HistogramBins);
                    break;
                case LogicalType.Boolean:
                    yield return $"min({Ident})";
                    yield return $"max({Ident})";
                    yield return $"avg({Ident}::INTEGER)";
                    yield return $"stddev_samp({Ident}::INTEGER)";
                    break;
                case LogicalType.String:
                    // strlen is the stored UTF-8 length: free, where counting characters decodes every value.
                    yield return $"min({Ident}::VARCHAR)";
                    yield return $"max({Ident}::VARCHAR)";
                    yield return $"min(strlen({Ident}::VARCHAR))";
                    yield return $"max(strlen({Ident}::VARCHAR))";
                    yield return $"avg(strlen({Ident}::VARCHAR))";
                    break;
                default:
                    yield return $"min({Ident})";
                    yield return $"max({Ident})";
                    break;
            }
        }

        public void ReadFirstPass(object?[] row, long rowCount, bool exactQuantiles)
        {
            _row = row;
            RowCount = rowCount;
            Count = JsonValues.ToLong(row[FirstSlot]);
            // An estimate can overshoot the number of values; a count cannot.
            ApproxDistinct = Math.Min(JsonValues.ToLong(row[FirstSlot + 1]), Count);
            if (Column.IsNumeric)
            {
                _quantiles = row[FirstSlot + 4] as IList;
                QuantilesExact = exactQuantiles;
                if (FiniteMin is not null)
                {
                    ReadHistogram(row[FirstSlot + 6]);
                }
            }
        }

        public string HistogramExpression(int bins)
        {
            var (edges, _) = Edges(bins);
            var filter = IsFloat ? $"isfinite({Ident})" : $"{Ident} IS NOT NULL";
            // DuckDB's binned histogram: bucket i counts values in (edge[i], edge[i+1]] by binary
            // search, cheaper than a map of computed bucket numbers.
            var boundaries = string.Join(", ", edges.Skip(1).Select(Sql.Num));
            return $"histogram({AsDouble}, [{boundaries}]) FILTER (WHERE {filter})";
        }

        public void ReadHistogram(object? map)
        {
            var (edges, _) = Edges(_binsUsed);
            var counts = new long[edges.Count - 1];
            if (map is IDictionary dict)
            {
                foreach (DictionaryEntry entry in dict)
                {
                    var key = JsonValues.ToDouble(entry.Key);
                    var bin = key is null ? counts.Length - 1 : NearestBoundary(edges, key.Value);
                    counts[bin] += JsonValues.ToLong(entry.Value);
                }
            }

            _histogram = new Histogram(edges, counts);
        }

        private static int NearestBoundary(List<double> edges, double key)
        {
            var best = 0;
            for (var i = 1; i < edges.Count; i++)
            {
                if (Math.Abs(edges[i] - key) < Math.Abs(edges[best + 1] - key))
                {
                    best = i - 1;
                }
            }

            return best;
        }

        private int _binsUsed;

        private (List<double> Edges, double Width) Edges(int bins)
        {
            _binsUsed = bins;
            var min = FiniteMin!.Value;
            var max = FiniteMax!.Value;
            if (max == min)
            {
                return ([min, max], 0);
            }

            if (Logical == LogicalType.Integer && max - min + 1 <= bins)
            {
                var edges = new List<double>();
                for (var v = min - 0.5; v <= max + 0.5; v += 1)
                {
                    edges.Add(v);
                }

                return (edges, 1);
            }

            var width = (max - min) / bins;
            var result = new List<double>(bins + 1);
            for (var i = 0; i < bins; i++)
            {
                result.Add(min + (i * width));
            }

            result.Add(max);
            return (result, width);
        }

        public bool WantsTopValues(ProfileOptions options) =>
            Count > 0 && ExactDistinct is not null && ExactDistinct <= options.DistinctExactLimit
            && (Logical is LogicalType.String or LogicalType.Boolean
                || (Logical == LogicalType.Integer && ExactDistinct <= options.TopValues));

        public ColumnProfile Build()
        {
            var s = FirstSlot + 2;
            var distinct = ExactDistinct ?? ApproxDistinct;
            var profile = new ColumnProfile(
                Column.Name,
                LogicalTypes.Name(Logical),
                Column.DuckType,
                Count,
                RowCount - Count,
                distinct,
                ExactDistinct is not null,
                TopValues: TopValues);
            return Logical switch
            {
                LogicalType.Integer or LogicalType.Float => profile with
                {
                    Min = JsonValues.From(_min),
                    Max = JsonValues.From(_max),
                    Mean = JsonValues.ToDouble(_row[s]),
                    Std = JsonValues.ToDouble(_row[s + 1]),
                    Quantiles = _quantiles is IList list
                        ? QuantileLevels.Select((q, i) => new QuantileValue(q, JsonValues.ToDouble(list[i]) ?? double.NaN)).ToList()
                        : null,
                    QuantilesExact = _quantiles is null ? null : QuantilesExact,
                    Histogram = _histogram,
                    NonFiniteCount = IsFloat ? JsonValues.ToLong(_row[s + 3]) : null,
                },
                LogicalType.Boolean => profile with
                {
                    Min = JsonValues.From(_row[s]),
                    Max = JsonValues.From(_row[s + 1]),
                    Mean = JsonValues.ToDouble(_row[s + 2]),
                    Std = JsonValues.ToDouble(_row[s + 3]),
                },
                LogicalType.String => profile with
                {
                    Min = JsonValues.From(_row[s]),
                    Max = JsonValues.From(_row[s + 1]),
                    MinLength = _row[s + 2] is null ? null : JsonValues.ToLong(_row[s + 2]),
                    MaxLength = _row[s + 3] is null ? null : JsonValues.ToLong(_row[s + 3]),
                    MeanLength = JsonValues.ToDouble(_row[s + 4]),
                },
                _ => profile with { Min = JsonValues.From(_row[s]), Max = JsonValues.From(_row[s + 1]) },
            };
        }
    }
}
