using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Compute.Drift;
using Keel.Core.Errors;
using Keel.Data.Tables;

namespace Keel.Application.Monitoring;

/// <summary>
/// Drift between two whole tables, shared by <c>keel monitor drift</c> and the pipelines'
/// <c>drift_report</c> step: pairing their columns as Evidently types them, and the JSON answer with
/// Evidently's field names.
/// </summary>
public static class DriftTables
{
    /// <summary>
    /// The columns both tables have, in the reference's order. Evidently's column types: numeric dtypes
    /// are "num", everything else "cat"; a column typed differently in the two tables is compared as
    /// categorical text.
    /// </summary>
    /// <param name="reference">The reference table.</param>
    /// <param name="current">The current table.</param>
    /// <param name="explicitColumns">True when the caller named the columns: one missing from the current table is then an error.</param>
    /// <param name="columnsField">How errors name the column list (e.g. <c>--columns</c>).</param>
    /// <param name="currentField">How errors name the current table (e.g. <c>--current</c>).</param>
    public static List<DriftColumn> Pair(ColumnarTable reference, ColumnarTable current, bool explicitColumns, string columnsField = "--columns", string currentField = "--current")
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var result = new List<DriftColumn>();
        foreach (var name in reference.Names)
        {
            if (!current.Names.Contains(name))
            {
                if (explicitColumns)
                {
                    throw KeelException.InvalidParameter($"{columnsField}: column '{name}' is not in the current table.");
                }

                continue;
            }

            if (reference.Numeric.TryGetValue(name, out var r) && current.Numeric.TryGetValue(name, out var c))
            {
                result.Add(DriftColumn.Numeric(name, r, c));
            }
            else
            {
                result.Add(DriftColumn.Categorical(name, AsText(reference, name), AsText(current, name)));
            }
        }

        if (result.Count == 0)
        {
            throw KeelException.InvalidParameter($"{currentField}: the tables have no column in common.");
        }

        return result;
    }

    /// <summary>The JSON answer, with Evidently's field names.</summary>
    /// <param name="drift">The comparison.</param>
    public static JsonObject ToJson(DatasetDriftResult drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var columns = new JsonArray();
        foreach (var c in drift.Columns)
        {
            columns.Add(new JsonObject
            {
                ["column"] = c.Column,
                ["column_type"] = c.ColumnType,
                ["stattest"] = c.StatTest,
                ["drift_score"] = c.DriftScore,
                ["threshold"] = c.Threshold,
                ["drift_detected"] = c.DriftDetected,
                ["binning"] = c.Binning,
                ["exact"] = c.Exact,
            });
        }

        return new JsonObject
        {
            ["dataset_drift"] = drift.DatasetDrift,
            ["number_of_columns"] = drift.NumberOfColumns,
            ["number_of_drifted_columns"] = drift.NumberOfDriftedColumns,
            ["share_of_drifted_columns"] = drift.ShareOfDriftedColumns,
            ["drift_share"] = drift.DriftShare,
            ["columns"] = columns,
        };
    }

    private static string?[] AsText(ColumnarTable table, string name) =>
        table.Text.TryGetValue(name, out var text)
            ? text
            : table.Numeric[name].Select(v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
}
