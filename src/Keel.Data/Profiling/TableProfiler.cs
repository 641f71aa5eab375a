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
        var columns = table.Columns;
        var plans = columns.Select((c, i) => new ColumnPlan(c, i)).ToList();
        var select = new List<string> { "count(*)" };
        foreach (var plan in plans)
        {
            plan.FirstSlot = select.Count;
            select.AddRange(plan.FirstPassExpressions());
        }

        var first = await table.QuerySingleAsync($"SELECT {string.Join(", ", select)} FROM t", ct).ConfigureAwait(false);
        var rowCount = JsonValues.ToLong(first[0]);
        foreach (var plan in plans)
        {
            plan.ReadFirstPass(first, rowCount);
        }

        // Exact distinct counts where the estimate says the column is small enough to count.
        var exact = plans.Where(p => p.Count > 0 && p.ApproxDistinct <= options.DistinctExactLimit).ToList();
        if (exact.Count > 0)
        {
            var row = await table.QuerySingleAsync(
                "SELECT " + string.Join(", ", exact.Select(p => $"count(DISTINCT {p.Ident})")) + " FROM t", ct).ConfigureAwait(false);
            for (var i = 0; i < exact.Count; i++)
            {
                exact[i].ExactDistinct = JsonValues.ToLong(row[i]);
            }
        }

        var histogramPlans = plans.Where(p => p.Column.IsNumeric && p.FiniteMin is not null).ToList();
        if (histogramPlans.Count > 0)
        {
            var exprs = histogramPlans.Select(p => p.HistogramExpression(options.HistogramBins)).ToList();
            var row = await table.QuerySingleAsync("SELECT " + string.Join(", ", exprs) + " FROM t", ct).ConfigureAwait(false);
            for (var i = 0; i < histogramPlans.Count; i++)
            {
                histogramPlans[i].ReadHistogram(row[i]);
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

    private sealed class ColumnPlan(TableColumn column, int index)
    {
        private object?[] _row = [];
        private Histogram? _histogram;

        public TableColumn Column { get; } = column;

        public int Index { get; } = index;

        public string Ident { get; } = Sql.Ident(column.Name);

        public int FirstSlot { get; set; }

        public long Count { get; private set; }

        public long RowCount { get; private set; }

        public long ApproxDistinct { get; private set; }

        public long? ExactDistinct { get; set; }

        public double? FiniteMin { get; private set; }

        public double? FiniteMax { get; private set; }

        public List<ValueCount>? TopValues { get; set; }

        private LogicalType Logical => Column.Logical;

        private bool IsFloat => Logical == LogicalType.Float && !Column.DuckType.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase);

        // Numeric statistics use finite values only: NaN and infinities would poison them.
        private string Finite => IsFloat ? $" FILTER (WHERE isfinite({Ident}))" : "";

        private string AsDouble => $"{Ident}::DOUBLE";

        public IEnumerable<string> FirstPassExpressions()
        {
            yield return $"count({Ident})";
            yield return $"approx_count_distinct({Ident})";
            switch (Logical)
            {
                case LogicalType.Integer or LogicalType.Float:
                    yield return $"min({AsDouble}){Finite}";
                    yield return $"max({AsDouble}){Finite}";
                    yield return $"avg({AsDouble}){Finite}";
                    yield return $"stddev_samp({AsDouble}){Finite}";
                    yield return $"quantile_cont({AsDouble}, [{string.Join(", ", QuantileLevels.Select(q => q.ToString("R", CultureInfo.InvariantCulture)))}]){Finite}";
                    yield return IsFloat ? $"count({Ident}) FILTER (WHERE NOT isfinite({Ident}))" : "NULL";
                    yield return $"min({Ident}){Finite}";
                    yield return $"max({Ident}){Finite}";
                    break;
                case LogicalType.Boolean:
                    yield return $"min({Ident})";
                    yield return $"max({Ident})";
                    yield return $"avg({Ident}::INTEGER)";
                    yield return $"stddev_samp({Ident}::INTEGER)";
                    break;
                case LogicalType.String:
                    yield return $"min({Ident}::VARCHAR)";
                    yield return $"max({Ident}::VARCHAR)";
                    yield return $"min(length({Ident}::VARCHAR))";
                    yield return $"max(length({Ident}::VARCHAR))";
                    yield return $"avg(length({Ident}::VARCHAR))";
                    break;
                default:
                    yield return $"min({Ident})";
                    yield return $"max({Ident})";
                    break;
            }
        }

        public void ReadFirstPass(object?[] row, long rowCount)
        {
            _row = row;
            RowCount = rowCount;
            Count = JsonValues.ToLong(row[FirstSlot]);
            ApproxDistinct = JsonValues.ToLong(row[FirstSlot + 1]);
            if (Column.IsNumeric)
            {
                FiniteMin = JsonValues.ToDouble(row[FirstSlot + 2]);
                FiniteMax = JsonValues.ToDouble(row[FirstSlot + 3]);
            }
        }

        public string HistogramExpression(int bins)
        {
            var (edges, width) = Edges(bins);
            var n = edges.Count - 1;
            var lo = Sql.Num(edges[0]);
            var bucket = width == 0
                ? "0"
                : $"least(greatest(floor(({AsDouble} - {lo}) / {Sql.Num(width)}), 0), {n - 1})::INTEGER";
            var filter = IsFloat ? $"isfinite({Ident})" : $"{Ident} IS NOT NULL";
            return $"histogram({bucket}) FILTER (WHERE {filter})";
        }

        public void ReadHistogram(object? map)
        {
            var (edges, _) = Edges(_binsUsed);
            var counts = new long[edges.Count - 1];
            if (map is IDictionary dict)
            {
                foreach (DictionaryEntry entry in dict)
                {
                    var bin = Convert.ToInt32(entry.Key, CultureInfo.InvariantCulture);
                    counts[bin] += JsonValues.ToLong(entry.Value);
                }
            }

            _histogram = new Histogram(edges, counts);
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
            Count > 0 && (Logical is LogicalType.String or LogicalType.Boolean
                || (Logical == LogicalType.Integer && (ExactDistinct ?? ApproxDistinct) <= options.TopValues));

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
                    Min = JsonValues.From(_row[s + 6]),
                    Max = JsonValues.From(_row[s + 7]),
                    Mean = JsonValues.ToDouble(_row[s + 2]),
                    Std = JsonValues.ToDouble(_row[s + 3]),
                    Quantiles = _row[s + 4] is IList list
                        ? QuantileLevels.Select((q, i) => new QuantileValue(q, JsonValues.ToDouble(list[i]) ?? double.NaN)).ToList()
                        : null,
                    Histogram = _histogram,
                    NonFiniteCount = IsFloat ? JsonValues.ToLong(_row[s + 5]) : null,
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
