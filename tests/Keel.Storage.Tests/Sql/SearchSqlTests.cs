using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Storage.Sql;
using Xunit;

namespace Keel.Storage.Tests.Sql;

/// <summary>
/// The search translators both metadata backends share: what they write themselves, what they
/// leave to the dialect, and how parameters line up with their placeholders.
/// </summary>
public sealed class SearchSqlTests
{
    private static readonly MarkerDialect Dialect = new();

    [Fact]
    public void Run_search_numbers_placeholders_in_order_and_binds_one_row_past_the_page()
    {
        var sql = new RunSearchSql(Dialect);
        var text = sql.Build(new RunQuery(
            ["1"], [new Comparison(SearchEntity.Param, "lr", Comparator.Equal, "0.1")], ViewType.ActiveOnly, [], 40, 20));

        Assert.Contains("params t WHERE t.run_key = r.run_key AND t.key = :v10 AND t.value = :v11", text, StringComparison.Ordinal);
        Assert.EndsWith("LIMIT :v12 OFFSET :v13", text, StringComparison.Ordinal);
        Assert.Equal(new object[] { "lr", "0.1", 21L, 40L }, sql.Parameters.Values);
    }

    [Fact]
    public void Experiment_ids_that_are_not_integers_are_dropped_and_none_left_matches_nothing()
    {
        var some = new RunSearchSql(Dialect).Build(new RunQuery(["3", "x", "-1", "007"], [], ViewType.All, [], 0, 10));
        var none = new RunSearchSql(Dialect).Build(new RunQuery(["x", ""], [], ViewType.All, [], 0, 10));

        Assert.Contains("WHERE <ids r.experiment_id 3,7> AND <true>", some, StringComparison.Ordinal);
        Assert.Contains("WHERE <false> AND <true>", none, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_terms_ask_the_dialect_how_NaN_is_told_apart()
    {
        var sql = new RunSearchSql(Dialect);
        var text = sql.Build(new RunQuery(
            ["1"],
            [new Comparison(SearchEntity.Metric, "loss", Comparator.NotEqual, 0.5), new Comparison(SearchEntity.Metric, "acc", Comparator.Greater, 0.9)],
            ViewType.All,
            [new OrderBy(SearchEntity.Metric, "loss", Ascending: false)],
            0,
            10));

        Assert.Contains("(<m is nan> OR m.value <> :v12)", text, StringComparison.Ordinal);
        Assert.Contains("<m is number> AND m.value > :v14", text, StringComparison.Ordinal);
        Assert.Contains("ORDER BY (o0.run_key IS NULL) ASC, <nan order o0 DESC>, o0.value DESC, r.start_time DESC", text, StringComparison.Ordinal);
        // A numeric operand goes through the dialect; the NotEqual operand is the metric's own double.
        Assert.Equal(0.5, sql.Parameters.Values[2]);
        Assert.Equal("number:0.9", sql.Parameters.Values[4]);
    }

    [Fact]
    public void String_operators_the_engines_spell_differently_are_the_dialects()
    {
        var sql = new RunSearchSql(Dialect);
        var text = sql.Build(new RunQuery(
            ["1"],
            [
                new Comparison(SearchEntity.Attribute, "run_name", Comparator.Like, "a%"),
                new Comparison(SearchEntity.Attribute, "status", Comparator.ILike, "fin%"),
                new Comparison(SearchEntity.Tag, "t", Comparator.In, new[] { "a", "b" }),
                new Comparison(SearchEntity.Dataset, "digest", Comparator.NotIn, new[] { "d" }),
            ],
            ViewType.DeletedOnly,
            [],
            0,
            10));

        Assert.Contains("<like r.name :v10>", text, StringComparison.Ordinal);
        Assert.Contains("<ilike r.status :v11>", text, StringComparison.Ordinal);
        Assert.Contains("tags t WHERE t.run_key = r.run_key AND t.key = :v12 AND <in t.value :v13>", text, StringComparison.Ordinal);
        Assert.Contains("<not in d.digest :v14>", text, StringComparison.Ordinal);
        Assert.Contains("r.lifecycle_stage = 'deleted'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_numeric_attribute_takes_a_number_given_as_text_and_refuses_other_text()
    {
        var sql = new RunSearchSql(Dialect);
        sql.Build(new RunQuery(["1"], [new Comparison(SearchEntity.Attribute, "start_time", Comparator.GreaterOrEqual, "1700000000000")], ViewType.All, [], 0, 10));

        Assert.Equal("number:1700000000000", sql.Parameters.Values[0]);
        var error = Assert.Throws<KeelException>(() => new RunSearchSql(Dialect).Build(
            new RunQuery(["1"], [new Comparison(SearchEntity.Attribute, "end_time", Comparator.Less, "soon")], ViewType.All, [], 0, 10)));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Equal("Expected a numeric value but got 'soon'.", error.Message);
    }

    [Fact]
    public void Registry_order_by_sorts_nulls_lowest_through_the_dialect_and_keeps_its_tie_breaks()
    {
        var text = new RegistrySearchSql(Dialect).Build(new ModelVersionQuery(
            [], [new OrderBy(SearchEntity.Attribute, "run_id", Ascending: true)], 0, 10));

        Assert.Contains("ORDER BY <nulls lowest mv.run_id asc>, mv.name ASC, mv.version DESC LIMIT :v10 OFFSET :v11", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_search_runs_no_query_when_nothing_can_match_and_sorts_a_missing_context_first()
    {
        Assert.Null(new DatasetSearchSql(Dialect).Build(["x", "-2"], 10));
        Assert.Null(new DatasetSearchSql(Dialect).Build(["1"], 0));

        var sql = new DatasetSearchSql(Dialect);
        var text = sql.Build(["4", "x", "2"], 10);

        Assert.NotNull(text);
        Assert.Contains("WHERE <ids d.experiment_id 4,2>", text, StringComparison.Ordinal);
        Assert.Contains("ORDER BY d.experiment_id, d.name, d.digest, <nulls lowest t.value asc>", text, StringComparison.Ordinal);
        Assert.Equal(new object[] { 10L }, sql.Parameters.Values);
    }

    [Fact]
    public void Placeholders_past_the_cached_ones_are_formatted_alike()
    {
        Assert.Equal(":v10", Dialect.Placeholder(0));
        Assert.Equal(":v73", Dialect.Placeholder(63));
        Assert.Equal(":v74", Dialect.Placeholder(64));
        Assert.Equal(":v1010", Dialect.Placeholder(1000));
    }
}
