using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Data.Profiling;
using Keel.Data.Tables;
using Keel.Data.Validation;

namespace Keel.Data.Tests.Validation;

public sealed class SuiteValidatorTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Reference", "fixture.csv");

    private static Task<SuiteValidationResult> RunAsync(string suiteJson, ResultFormat? format = null) =>
        new SuiteValidator().ValidateAsync(TableSource.Open(Fixture), ExpectationSuite.Parse(suiteJson), format);

    private static string Suite(params string[] expectations) =>
        "{\"name\": \"s\", \"expectations\": [" + string.Join(",", expectations) + "]}";

    [Theory]
    [InlineData("{\"type\": \"expect_column_values_to_be_purple\", \"kwargs\": {\"column\": \"id\"}}", "expectations[1] (expect_column_values_to_be_purple): unknown expectation type")]
    [InlineData("{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"id\", \"colour\": 1}}", "unknown kwarg 'colour'")]
    [InlineData("{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {}}", "missing required kwarg 'column'")]
    [InlineData("{\"type\": \"expect_column_values_to_be_between\", \"kwargs\": {\"column\": \"id\", \"min_value\": [1]}}", "kwarg 'min_value' must be")]
    [InlineData("{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"id\", \"mostly\": 1.5}}", "kwarg 'mostly' must be a number between 0 and 1")]
    [InlineData("{\"type\": \"expect_column_values_to_match_regex\", \"kwargs\": {\"column\": \"id\", \"regex\": 5}}", "kwarg 'regex' must be a string")]
    [InlineData("{\"type\": \"expect_column_values_to_be_in_set\", \"kwargs\": {\"column\": \"id\", \"value_set\": [1], \"result_format\": \"LOUD\"}}", "'result_format' must be one of")]
    [InlineData("{\"type\": \"expect_column_values_to_be_in_set\", \"kwargs\": {\"column\": \"id\", \"value_set\": [1]}, \"severity\": \"fatal\"}", "'severity' must be one of")]
    [InlineData("{\"type\": \"expect_column_values_to_be_in_set\", \"kwargs\": {\"column\": \"id\", \"value_set\": [1], \"row_condition\": \"id > 1\"}}", "'row_condition' is not supported")]
    public void Bad_expectations_are_refused_naming_the_expectation_and_kwarg(string expectation, string message)
    {
        var suite = Suite("{\"type\": \"expect_table_row_count_to_equal\", \"kwargs\": {\"value\": 12}}", expectation);
        var e = Assert.Throws<KeelException>(() => ExpectationSuite.Parse(suite));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("expectations[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_suite_forms_parse_and_write_back_as_1x()
    {
        var old = ExpectationSuite.Parse("""
            {"expectation_suite_name": "legacy", "expectations": [{"expectation_type": "expect_column_to_exist", "kwargs": {"column": "id"}, "meta": {"notes": "x"}}], "meta": {"great_expectations_version": "0.18.8"}}
            """);
        Assert.Equal("legacy", old.Name);
        Assert.Equal("expect_column_to_exist", old.Expectations[0].Type);
        Assert.Equal(ExpectationConfiguration.Critical, old.Expectations[0].Severity);
        var written = JsonNode.Parse(old.ToJson())!.AsObject();
        Assert.Equal("legacy", written["name"]!.GetValue<string>());
        Assert.Equal("expect_column_to_exist", written["expectations"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("x", written["expectations"]![0]!["meta"]!["notes"]!.GetValue<string>());
        Assert.Equal(old.ToJson(), ExpectationSuite.Parse(old.ToJson()).ToJson());
    }

    [Fact]
    public async Task Result_has_great_expectations_shape_and_statistics()
    {
        var result = await RunAsync(Suite(
            "{\"type\": \"expect_column_values_to_be_in_set\", \"kwargs\": {\"column\": \"category\", \"value_set\": [\"a\", \"b\", \"c\"]}}",
            "{\"type\": \"expect_table_row_count_to_equal\", \"kwargs\": {\"value\": 12}}"));
        var json = JsonNode.Parse(result.ToJson())!.AsObject();
        Assert.False(json["success"]!.GetValue<bool>());
        var stats = json["statistics"]!.AsObject();
        Assert.Equal(2, stats["evaluated_expectations"]!.GetValue<int>());
        Assert.Equal(1, stats["successful_expectations"]!.GetValue<int>());
        Assert.Equal(1, stats["unsuccessful_expectations"]!.GetValue<int>());
        Assert.Equal(50.0, stats["success_percent"]!.GetValue<double>());
        var first = json["results"]![0]!.AsObject();
        Assert.Equal("expect_column_values_to_be_in_set", first["expectation_config"]!["type"]!.GetValue<string>());
        Assert.False(first["exception_info"]!["raised_exception"]!.GetValue<bool>());
        var r = first["result"]!.AsObject();
        // SUMMARY (the 1.x default) in GE's key order.
        Assert.Equal(
            ["element_count", "unexpected_count", "unexpected_percent", "partial_unexpected_list", "missing_count", "missing_percent",
             "unexpected_percent_total", "unexpected_percent_nonmissing", "partial_unexpected_counts", "partial_unexpected_index_list"],
            r.Select(p => p.Key));
        Assert.Equal(12, r["element_count"]!.GetValue<long>());
        Assert.Equal(1, r["missing_count"]!.GetValue<long>());
        Assert.Equal(100.0 / 11, r["unexpected_percent"]!.GetValue<double>(), 12);
        Assert.Equal("d", r["partial_unexpected_list"]![0]!.GetValue<string>());
        Assert.Equal(11, r["partial_unexpected_index_list"]![0]!.GetValue<long>());
        Assert.Equal(12, result.Meta["row_count"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(ResultFormatLevel.BooleanOnly, new string[0])]
    [InlineData(ResultFormatLevel.Basic, new[] { "element_count", "unexpected_count", "unexpected_percent", "partial_unexpected_list", "missing_count", "missing_percent", "unexpected_percent_total", "unexpected_percent_nonmissing" })]
    [InlineData(ResultFormatLevel.Complete, new[] { "element_count", "unexpected_count", "unexpected_percent", "partial_unexpected_list", "missing_count", "missing_percent", "unexpected_percent_total", "unexpected_percent_nonmissing", "partial_unexpected_counts", "partial_unexpected_index_list", "unexpected_list", "unexpected_index_list" })]
    public async Task Result_formats_carry_what_great_expectations_carries(ResultFormatLevel level, string[] keys)
    {
        var result = await RunAsync(Suite("{\"type\": \"expect_column_values_to_be_unique\", \"kwargs\": {\"column\": \"name\"}}"), new ResultFormat(level));
        Assert.Equal(keys, result.Results[0].Result.Select(p => p.Key));
        Assert.False(result.Results[0].Success);
    }

    [Fact]
    public async Task Partial_lists_follow_partial_unexpected_count_and_an_expectation_can_set_its_own_format()
    {
        var result = await RunAsync(Suite(
            "{\"type\": \"expect_column_values_to_not_match_regex\", \"kwargs\": {\"column\": \"email\", \"regex\": \"example\"}}",
            "{\"type\": \"expect_column_values_to_not_match_regex\", \"kwargs\": {\"column\": \"email\", \"regex\": \"example\", \"result_format\": \"BOOLEAN_ONLY\"}}"),
            new ResultFormat(ResultFormatLevel.Summary, PartialUnexpectedCount: 3));
        Assert.Equal(11, result.Results[0].Result["unexpected_count"]!.GetValue<long>());
        Assert.Equal(3, result.Results[0].Result["partial_unexpected_list"]!.AsArray().Count);
        Assert.Equal([0L, 1, 2], result.Results[0].Result["partial_unexpected_index_list"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.Empty(result.Results[1].Result);
    }

    [Fact]
    public async Task Severity_decides_the_gate()
    {
        var warning = await RunAsync(Suite(
            "{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"age\"}, \"severity\": \"warning\"}",
            "{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"id\"}}"));
        Assert.False(warning.Success);
        Assert.False(warning.HasCriticalFailure);

        var critical = await RunAsync(Suite("{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"age\"}}"));
        Assert.True(critical.HasCriticalFailure);
    }

    [Fact]
    public async Task A_faulty_expectation_fails_alone_with_exception_info()
    {
        // RE2 has no look-ahead; Python's re does. DuckDB refuses the regex, the other checks still run.
        var result = await RunAsync(Suite(
            "{\"type\": \"expect_column_values_to_match_regex\", \"kwargs\": {\"column\": \"email\", \"regex\": \"^(?=a).*\"}}",
            "{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"no_such\"}}",
            "{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"id\"}}"));
        Assert.True(result.Results[0].RaisedException);
        Assert.False(result.Results[0].Success);
        Assert.Contains("The column \"no_such\" in BatchData does not exist.", result.Results[1].ExceptionMessage, StringComparison.Ordinal);
        Assert.True(result.Results[2].Success);
        var info = result.ToJsonObject()["results"]![1]!["exception_info"]!;
        Assert.True(info["raised_exception"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Row_indexes_continue_across_files()
    {
        var dir = Directory.CreateTempSubdirectory("keel-multi-");
        try
        {
            await File.WriteAllLinesAsync(Path.Combine(dir.FullName, "a.csv"), ["v", "1", "2"]);
            await File.WriteAllLinesAsync(Path.Combine(dir.FullName, "b.csv"), ["v", "3", "-4"]);
            var result = await new SuiteValidator().ValidateAsync(TableSource.Open(dir.FullName), ExpectationSuite.Parse(Suite(
                "{\"type\": \"expect_column_values_to_be_between\", \"kwargs\": {\"column\": \"v\", \"min_value\": 0}}")));
            Assert.Equal(3, result.Results[0].Result["partial_unexpected_index_list"]![0]!.GetValue<long>());
            Assert.Equal(-4, result.Results[0].Result["partial_unexpected_list"]![0]!.GetValue<long>());
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Html_report_is_self_contained_and_shows_each_expectation()
    {
        var result = await RunAsync(Suite(
            "{\"type\": \"expect_column_values_to_be_in_set\", \"kwargs\": {\"column\": \"category\", \"value_set\": [\"a\", \"b\", \"c\"]}}",
            "{\"type\": \"expect_column_mean_to_be_between\", \"kwargs\": {\"column\": \"score\", \"min_value\": 0}}",
            "{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"<script>\"}}"));
        var html = ValidationReport.ToHtml(result, "Orders <v3>");
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("Orders &lt;v3&gt;", html, StringComparison.Ordinal);
        Assert.Contains("expect_column_values_to_be_in_set", html, StringComparison.Ordinal);
        Assert.Contains("&quot;d&quot;", html, StringComparison.Ordinal);
        Assert.Contains("73.159", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("Critical expectations failed", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suggested_suite_passes_on_the_data_it_was_drafted_from()
    {
        var source = TableSource.Open(Fixture);
        var profile = await new TableProfiler().ProfileAsync(source);
        var suite = SuiteSuggester.Suggest(profile, "drafted");
        Assert.Contains(suite.Expectations, e => e.Type == "expect_column_values_to_be_unique" && e.Kwargs["column"]!.GetValue<string>() == "id");
        Assert.Contains(suite.Expectations, e => e.Type == "expect_column_values_to_be_in_set" && e.Kwargs["column"]!.GetValue<string>() == "category");
        Assert.Contains(suite.Expectations, e => e.Type == "expect_column_values_to_not_be_null" && e.Kwargs["column"]!.GetValue<string>() == "age" && e.Kwargs["mostly"]!.GetValue<double>() == 0.83);
        var result = await new SuiteValidator().ValidateAsync(source, suite);
        Assert.True(result.Success, result.ToJson());
    }
}
