using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Data.Profiling;

namespace Keel.Data.Validation;

/// <summary>
/// Drafts an expectation suite from a profile: the columns (ordered), a row-count band, and per
/// column not-null where there were no nulls (a <c>mostly</c> just under the observed share
/// otherwise), value ranges for numbers, value sets for low-cardinality text, and uniqueness where
/// every value was distinct. A starting point to edit, not a verdict.
/// </summary>
public static class SuiteSuggester
{
    /// <summary>Up to this many distinct values a text column gets an in-set expectation.</summary>
    public const int MaxSetSize = 20;

    /// <summary>Drafts a suite named <paramref name="name"/> from <paramref name="profile"/>.</summary>
    public static ExpectationSuite Suggest(TableProfile profile, string name)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var expectations = new List<ExpectationConfiguration>
        {
            Make("expect_table_columns_to_match_ordered_list", new JsonObject { ["column_list"] = Strings(profile.Columns.Select(c => c.Name)) }),
            Make("expect_table_row_count_to_be_between", new JsonObject
            {
                // A band around today's size: half to double, so growth and shrinkage beyond it get noticed.
                ["min_value"] = profile.RowCount / 2,
                ["max_value"] = profile.RowCount * 2,
            }),
        };

        foreach (var column in profile.Columns)
        {
            var c = column.Name;
            if (column.Count == 0)
            {
                expectations.Add(Make("expect_column_values_to_be_null", new JsonObject { ["column"] = c }));
                continue;
            }

            if (column.NullCount == 0)
            {
                expectations.Add(Make("expect_column_values_to_not_be_null", new JsonObject { ["column"] = c }));
            }
            else
            {
                var share = (double)column.Count / (column.Count + column.NullCount);
                expectations.Add(Make("expect_column_values_to_not_be_null", new JsonObject
                {
                    ["column"] = c,
                    // Round down to two decimals so today's data passes.
                    ["mostly"] = Math.Floor(share * 100) / 100,
                }));
            }

            if (column.LogicalType is "integer" or "float" && column.Min is not null && column.Max is not null)
            {
                expectations.Add(Make("expect_column_values_to_be_between", new JsonObject
                {
                    ["column"] = c,
                    ["min_value"] = column.Min.DeepClone(),
                    ["max_value"] = column.Max.DeepClone(),
                }));
            }

            if (column.LogicalType == "string" && column.DistinctExact && column.DistinctCount <= MaxSetSize
                && column.TopValues is { } top && top.Count == column.DistinctCount)
            {
                expectations.Add(Make("expect_column_values_to_be_in_set", new JsonObject
                {
                    ["column"] = c,
                    ["value_set"] = new JsonArray(top.Select(v => v.Value?.DeepClone()).OrderBy(v => v?.ToJsonString(), StringComparer.Ordinal).ToArray()),
                }));
            }

            if (column.DistinctExact && column.DistinctCount == column.Count && column.Count > 1 && column.LogicalType is "integer" or "string")
            {
                expectations.Add(Make("expect_column_values_to_be_unique", new JsonObject { ["column"] = c }));
            }
        }

        var meta = new JsonObject
        {
            ["generated_by"] = "keel data suggest",
            ["generated_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["profile_row_count"] = profile.RowCount,
        };

        // Round-trip through the parser so a drafted suite is exactly what a user file would be.
        return ExpectationSuite.Parse(new ExpectationSuite(name, expectations, meta).ToJson());
    }

    private static ExpectationConfiguration Make(string type, JsonObject kwargs) => new(type, kwargs, []);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
