using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Data.Tables;
using Keel.Data.Validation;

namespace Keel.Data.Tests.Validation;

/// <summary>
/// The pandas-applicable cases of Great Expectations' own test definitions (facts ported by
/// Reference/port_ge_cases.py into Reference/ge_cases.json): each table is written as JSON
/// Lines, validated at COMPLETE, and compared on success, unexpected values and observed value.
/// Cases Keel answers differently are listed in <see cref="KnownDeviations"/> with the reason.
/// </summary>
public sealed class GreatExpectationsCaseTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Reference");

    // title -> why Keel differs (each is a documented deviation, see the report).
    private static readonly Dictionary<string, string> KnownDeviations = new(StringComparer.Ordinal)
    {
        ["test_conditional_expectation_fails"] = "row_condition is not supported (refused with a clear error)",
        ["test_conditional_expectation_passes"] = "row_condition is not supported (refused with a clear error)",
        ["row_condition_with_ignore_if_any_are_missing"] = "row_condition is not supported (refused with a clear error)",
        ["basic_negative_datetime_test_pandas_spark_select_sql"] = "suite parameters ($PARAMETER) are not supported",
        ["basic_negative_now_test_pandas_spark_select_sql"] = "suite parameters ($PARAMETER) are not supported",
        ["basic_negative_now_timedelta_test_pandas_spark_select_sql"] = "suite parameters ($PARAMETER) are not supported",
        ["basic_positive_datetime_test"] = "suite parameters ($PARAMETER) are not supported",
        ["basic_positive_now_test"] = "suite parameters ($PARAMETER) are not supported",
        ["basic_positive_now_timedelta_test"] = "suite parameters ($PARAMETER) are not supported",
        ["datetime_with_evaluation_parameter_except_sqlite"] = "suite parameters ($PARAMETER) are not supported",
        ["negative_test_string_and_int_values_complete_output"] = "the case casts the column to str with a pandas schema; Keel reads files, not schemas",
        ["negative_test_string_and_int_values_summary_output"] = "the case casts the column to str with a pandas schema; Keel reads files, not schemas",
        ["positive_pandas_datetime_no_timezone"] = "the case parses text into datetime64 with a pandas schema; Keel reads files, not schemas",
        ["positive_pandas_datetime_with_timezone"] = "the case parses text into datetime64 with a pandas schema; Keel reads files, not schemas",
        ["positive_pandas_datetime_with_timezone_pd_022_pd_023"] = "the case parses text into datetime64 with a pandas schema; Keel reads files, not schemas",
    };

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        var count = Load().Count;
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void Committed_type_list_matches_the_catalog()
    {
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "implemented_types.json")))!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(committed, ExpectationCatalog.Types.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_matches_great_expectations(int index)
    {
        var c = Load()[index]!.AsObject();
        var title = c["title"]!.GetValue<string>();
        var type = c["type"]!.GetValue<string>();
        var label = $"{type} / {title}";
        var outcome = await RunAsync(c);
        var expect = c["expect"]!.AsObject();
        var mismatch = Compare(outcome, expect, c["tolerance"]);
        if (KnownDeviations.TryGetValue(title, out var reason))
        {
            Assert.True(mismatch is not null, $"{label}: listed as a deviation ({reason}) but now matches; remove it from the list.");
            return;
        }

        Assert.True(mismatch is null, $"{label}: {mismatch}");
    }

    internal static async Task<(ExpectationValidationResult? Result, string? Error)> RunAsync(JsonObject c)
    {
        var columns = c["columns"]!.AsObject();
        var rows = columns.Select(p => p.Value!.AsArray().Count).DefaultIfEmpty(0).Max();
        var path = Path.Combine(Path.GetTempPath(), $"keel-ge-{Guid.NewGuid():N}.jsonl");
        var lines = new List<string>();
        for (var r = 0; r < rows; r++)
        {
            var row = new JsonObject();
            foreach (var (name, values) in columns)
            {
                var list = values!.AsArray();
                row[name] = r < list.Count ? list[r]?.DeepClone() : null;
            }

            lines.Add(row.ToJsonString());
        }

        if (rows == 0)
        {
            // JSON Lines cannot name columns without rows; an empty table goes as a CSV header.
            path = Path.ChangeExtension(path, ".csv");
            lines = [string.Join(",", columns.Select(p => p.Key))];
        }

        await File.WriteAllLinesAsync(path, lines);
        try
        {
            var suite = new JsonObject
            {
                ["name"] = "case",
                ["expectations"] = new JsonArray(new JsonObject { ["type"] = c["type"]!.GetValue<string>(), ["kwargs"] = c["kwargs"]!.DeepClone() }),
            };
            ExpectationSuite parsed;
            try
            {
                parsed = ExpectationSuite.Parse(suite.ToJsonString());
            }
            catch (KeelException e)
            {
                return (null, e.Message);
            }

            var result = await new SuiteValidator().ValidateAsync(TableSource.Open(path), parsed, new ResultFormat(ResultFormatLevel.Complete));
            return (result.Results[0], null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static string? Compare((ExpectationValidationResult? Result, string? Error) outcome, JsonObject expect, JsonNode? tolerance)
    {
        if (expect["raises"] is not null)
        {
            return outcome.Error is not null || outcome.Result!.RaisedException ? null : $"expected an error, got success={outcome.Result!.Success} {outcome.Result.Result.ToJsonString()}";
        }

        if (outcome.Error is not null)
        {
            return $"rejected: {outcome.Error}";
        }

        var result = outcome.Result!;
        if (result.RaisedException)
        {
            return $"raised: {result.ExceptionMessage}";
        }

        if (expect["success"] is JsonNode s && s.GetValue<bool>() != result.Success)
        {
            return $"success {result.Success}, expected {s.GetValue<bool>()}; result {result.Result.ToJsonString()}";
        }

        if (expect["unexpected_list"] is JsonNode list && !JsonNumbers.Equal(list, result.Result["unexpected_list"]))
        {
            return $"unexpected_list {result.Result["unexpected_list"]?.ToJsonString()}, expected {list.ToJsonString()}";
        }

        if (expect["observed_value"] is JsonNode observed)
        {
            var tol = tolerance is null ? 1e-9 : tolerance.GetValue<double>();
            if (!JsonNumbers.Equal(observed, result.Result["observed_value"], tol))
            {
                return $"observed_value {result.Result["observed_value"]?.ToJsonString()}, expected {observed.ToJsonString()}";
            }
        }

        return null;
    }

    private static JsonArray Load() => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "ge_cases.json")))!.AsArray();
}
