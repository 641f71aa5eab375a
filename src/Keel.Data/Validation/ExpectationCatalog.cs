using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Data.Validation.Checks;

namespace Keel.Data.Validation;

/// <summary>
/// The expectation types Keel implements, the kwargs each takes (Great Expectations 1.x forbids
/// unknown ones, so Keel does too), and how each is compiled.
/// </summary>
internal static class ExpectationCatalog
{
    private enum Kind
    {
        Column,
        Columns,
        ColumnsOrNull,
        Number,
        NumberOrNull,
        Integer,
        IntegerOrNull,
        Bool,
        String,
        Strings,
        StringsOrNull,
        ValueSet,
        Comparable,
        Mostly,
        MatchOn,
        PairIgnore,
        MultiIgnore,
        QuantileRanges,
        RelativeError,
    }

    private sealed record Arg(string Name, Kind Kind, bool Required = false);

    private sealed record Spec(IReadOnlyList<Arg> Args, Func<Check> Create);

    private static readonly Arg Col = new("column", Kind.Column, true);
    private static readonly Arg Mostly = new("mostly", Kind.Mostly);
    private static readonly Arg[] Bounds = [new("min_value", Kind.Comparable), new("max_value", Kind.Comparable), new("strict_min", Kind.Bool), new("strict_max", Kind.Bool)];

    private static readonly Dictionary<string, Spec> Specs = new(StringComparer.Ordinal)
    {
        ["expect_table_row_count_to_be_between"] = new([new("min_value", Kind.IntegerOrNull), new("max_value", Kind.IntegerOrNull)], () => new RowCountCheck(false)),
        ["expect_table_row_count_to_equal"] = new([new("value", Kind.Integer, true)], () => new RowCountCheck(true)),
        ["expect_table_column_count_to_be_between"] = new([new("min_value", Kind.IntegerOrNull), new("max_value", Kind.IntegerOrNull)], () => new ColumnCountCheck(false)),
        ["expect_table_column_count_to_equal"] = new([new("value", Kind.Integer, true)], () => new ColumnCountCheck(true)),
        ["expect_table_columns_to_match_ordered_list"] = new([new("column_list", Kind.ColumnsOrNull, true)], () => new OrderedColumnsCheck()),
        ["expect_table_columns_to_match_set"] = new([new("column_set", Kind.ColumnsOrNull, true), new("exact_match", Kind.Bool)], () => new ColumnSetCheck()),
        ["expect_column_to_exist"] = new([Col, new("column_index", Kind.IntegerOrNull)], () => new ColumnExistsCheck()),

        ["expect_column_values_to_not_be_null"] = new([Col, Mostly], () => new NotNullCheck()),
        ["expect_column_values_to_be_null"] = new([Col, Mostly], () => new NullCheck()),
        ["expect_column_values_to_be_in_set"] = new([Col, Mostly, new("value_set", Kind.ValueSet, true)], () => new InSetCheck(false)),
        ["expect_column_values_to_not_be_in_set"] = new([Col, Mostly, new("value_set", Kind.ValueSet, true)], () => new InSetCheck(true)),
        ["expect_column_values_to_be_between"] = new([Col, Mostly, .. Bounds], () => new BetweenCheck()),
        ["expect_column_values_to_be_unique"] = new([Col, Mostly], () => new UniqueCheck()),
        ["expect_column_values_to_match_regex"] = new([Col, Mostly, new("regex", Kind.String, true)], () => new RegexCheck(false, false)),
        ["expect_column_values_to_not_match_regex"] = new([Col, Mostly, new("regex", Kind.String, true)], () => new RegexCheck(false, true)),
        ["expect_column_values_to_match_regex_list"] = new([Col, Mostly, new("regex_list", Kind.Strings, true), new("match_on", Kind.MatchOn)], () => new RegexCheck(true, false)),
        ["expect_column_values_to_not_match_regex_list"] = new([Col, Mostly, new("regex_list", Kind.Strings, true)], () => new RegexCheck(true, true)),
        ["expect_column_values_to_be_of_type"] = new([Col, Mostly, new("type_", Kind.String, true)], () => new TypeCheck(false)),
        ["expect_column_values_to_be_in_type_list"] = new([Col, Mostly, new("type_list", Kind.StringsOrNull, true)], () => new TypeCheck(true)),
        ["expect_column_values_to_be_increasing"] = new([Col, Mostly, new("strictly", Kind.Bool)], () => new MonotonicCheck(true)),
        ["expect_column_values_to_be_decreasing"] = new([Col, Mostly, new("strictly", Kind.Bool)], () => new MonotonicCheck(false)),
        ["expect_column_value_lengths_to_be_between"] = new([Col, Mostly, new("min_value", Kind.NumberOrNull), new("max_value", Kind.NumberOrNull), new("strict_min", Kind.Bool), new("strict_max", Kind.Bool)], () => new LengthsCheck(false)),
        ["expect_column_value_lengths_to_equal"] = new([Col, Mostly, new("value", Kind.Number, true)], () => new LengthsCheck(true)),
        ["expect_column_values_to_match_strftime_format"] = new([Col, Mostly, new("strftime_format", Kind.String, true)], () => new StrftimeCheck()),
        ["expect_column_values_to_be_dateutil_parseable"] = new([Col, Mostly], () => new DateutilCheck()),
        ["expect_column_values_to_be_json_parseable"] = new([Col, Mostly], () => new JsonParseableCheck()),

        ["expect_column_mean_to_be_between"] = new([Col, .. Bounds], () => new StatisticCheck("mean")),
        ["expect_column_median_to_be_between"] = new([Col, .. Bounds], () => new StatisticCheck("median")),
        ["expect_column_stdev_to_be_between"] = new([Col, .. Bounds], () => new StatisticCheck("stdev")),
        ["expect_column_min_to_be_between"] = new([Col, .. Bounds], () => new StatisticCheck("min")),
        ["expect_column_max_to_be_between"] = new([Col, .. Bounds], () => new StatisticCheck("max")),
        ["expect_column_sum_to_be_between"] = new([Col, .. Bounds], () => new StatisticCheck("sum")),
        ["expect_column_unique_value_count_to_be_between"] = new([Col, .. Bounds], () => new StatisticCheck("unique_value_count")),
        ["expect_column_proportion_of_unique_values_to_be_between"] = new([Col, .. Bounds], () => new StatisticCheck("proportion_of_unique_values")),
        ["expect_column_quantile_values_to_be_between"] = new([Col, new("quantile_ranges", Kind.QuantileRanges, true), new("allow_relative_error", Kind.RelativeError)], () => new QuantileCheck()),
        ["expect_column_distinct_values_to_be_in_set"] = new([Col, new("value_set", Kind.ValueSet, true)], () => new DistinctSetCheck("in")),
        ["expect_column_distinct_values_to_contain_set"] = new([Col, new("value_set", Kind.ValueSet, true)], () => new DistinctSetCheck("contain")),
        ["expect_column_distinct_values_to_equal_set"] = new([Col, new("value_set", Kind.ValueSet, true)], () => new DistinctSetCheck("equal")),
        ["expect_column_most_common_value_to_be_in_set"] = new([Col, new("value_set", Kind.ValueSet, true), new("ties_okay", Kind.Bool)], () => new MostCommonCheck()),

        ["expect_column_pair_values_to_be_equal"] = new([new("column_A", Kind.Column, true), new("column_B", Kind.Column, true), new("ignore_row_if", Kind.PairIgnore), Mostly], () => new PairCheck(false)),
        ["expect_column_pair_values_a_to_be_greater_than_b"] = new([new("column_A", Kind.Column, true), new("column_B", Kind.Column, true), new("or_equal", Kind.Bool), new("ignore_row_if", Kind.PairIgnore), Mostly], () => new PairCheck(true)),
        ["expect_compound_columns_to_be_unique"] = new([new("column_list", Kind.Columns, true), new("ignore_row_if", Kind.MultiIgnore), Mostly], () => new CompoundUniqueCheck()),
        ["expect_multicolumn_sum_to_equal"] = new([new("column_list", Kind.Columns, true), new("sum_total", Kind.Number, true), new("ignore_row_if", Kind.MultiIgnore), Mostly], () => new MulticolumnSumCheck()),
        ["expect_select_column_values_to_be_unique_within_record"] = new([new("column_list", Kind.Columns, true), new("ignore_row_if", Kind.MultiIgnore), Mostly], () => new UniqueWithinRecordCheck()),
    };

    // Kwargs every expectation takes.
    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "result_format", "catch_exceptions", "include_config", "batch_id", "row_condition", "condition_parser", "meta", "notes", "description",
    };

    /// <summary>Every implemented expectation type.</summary>
    public static IReadOnlyCollection<string> Types => Specs.Keys;

    /// <summary>Checks the kwargs of one expectation; INVALID_PARAMETER_VALUE naming it and the kwarg.</summary>
    public static void CheckKwargs(string type, JsonObject kwargs, string where)
    {
        if (!Specs.TryGetValue(type, out var spec))
        {
            throw KeelException.InvalidParameter($"{where}: unknown expectation type '{type}'. Keel implements: {string.Join(", ", Specs.Keys.Order(StringComparer.Ordinal))}.");
        }

        foreach (var (name, value) in kwargs)
        {
            if (value is JsonObject o && o.ContainsKey("$PARAMETER"))
            {
                throw KeelException.InvalidParameter($"{where}: kwarg '{name}' is a suite parameter ($PARAMETER); Keel needs literal values.");
            }

            if (Common.Contains(name))
            {
                continue;
            }

            if (spec.Args.All(a => a.Name != name))
            {
                throw KeelException.InvalidParameter(
                    $"{where}: unknown kwarg '{name}'; it takes {string.Join(", ", spec.Args.Select(a => a.Name))}.");
            }
        }

        foreach (var arg in spec.Args)
        {
            var present = kwargs.TryGetPropertyValue(arg.Name, out var value);
            if (!present)
            {
                if (arg.Required)
                {
                    throw KeelException.InvalidParameter($"{where}: missing required kwarg '{arg.Name}'.");
                }

                continue;
            }

            var rule = Rule(arg.Kind, value);
            if (rule is not null)
            {
                throw KeelException.InvalidParameter($"{where}: kwarg '{arg.Name}' must be {rule}.");
            }
        }

        if (kwargs["row_condition"] is JsonNode condition && !(condition is JsonValue cv && cv.TryGetValue<string>(out var cs) && cs.Length == 0))
        {
            throw KeelException.InvalidParameter($"{where}: kwarg 'row_condition' is not supported; validate a filtered dataset instead.");
        }

        if (kwargs["result_format"] is JsonNode format)
        {
            ResultFormat.Parse(format, where);
        }

        foreach (var flag in new[] { "catch_exceptions", "include_config" })
        {
            if (kwargs[flag] is JsonNode f && Rule(Kind.Bool, f) is { } bad)
            {
                throw KeelException.InvalidParameter($"{where}: kwarg '{flag}' must be {bad}.");
            }
        }

        CheckBounds(type, kwargs, where);
        if (type == "expect_column_values_to_not_be_in_set" && kwargs["value_set"] is null)
        {
            throw KeelException.InvalidParameter($"{where}: kwarg 'value_set' must be a list of values.");
        }

        if (type == "expect_column_quantile_values_to_be_between")
        {
            var ranges = (JsonArray)kwargs["quantile_ranges"]!["value_ranges"]!;
            if (ranges.Any(r => r![0] is JsonNode lo && r[1] is JsonNode hi && lo.GetValue<double>() > hi.GetValue<double>()))
            {
                throw KeelException.InvalidParameter($"{where}: kwarg 'quantile_ranges': each value range must be [min, max] with min <= max.");
            }
        }
    }

    // Where Great Expectations refuses a between with neither bound, or with a minimum above the
    // maximum (its own test cases say which; the others pass vacuously or simply fail).
    private static void CheckBounds(string type, JsonObject kwargs, string where)
    {
        var min = kwargs["min_value"];
        var max = kwargs["max_value"];
        if (type is "expect_column_values_to_be_between" or "expect_column_value_lengths_to_be_between"
            or "expect_column_min_to_be_between" or "expect_column_sum_to_be_between" && min is null && max is null)
        {
            throw KeelException.InvalidParameter($"{where}: kwargs 'min_value' and 'max_value' cannot both be null.");
        }

        if (type is "expect_column_values_to_be_between" or "expect_table_row_count_to_be_between" or "expect_table_column_count_to_be_between"
            && min is JsonValue a && max is JsonValue b && a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number
            && a.GetValue<double>() > b.GetValue<double>())
        {
            throw KeelException.InvalidParameter($"{where}: kwarg 'min_value' ({a.ToJsonString()}) cannot be greater than 'max_value' ({b.ToJsonString()}).");
        }
    }

    /// <summary>Compiles an expectation (its kwargs already checked).</summary>
    public static Check Compile(ExpectationConfiguration config, ResultFormat runFormat)
    {
        var spec = Specs[config.Type];
        var format = config.Kwargs["result_format"] is JsonNode own ? ResultFormat.Parse(own, config.Type) : runFormat;
        return spec.Create().Bind(config, format);
    }

    // Null when the value fits the kind, otherwise the rule it breaks.
    private static string? Rule(Kind kind, JsonNode? value)
    {
        var valueKind = value?.GetValueKind() ?? JsonValueKind.Null;
        bool IsNumber() => valueKind == JsonValueKind.Number;
        bool IsInteger() => IsNumber() && value!.GetValue<double>() is var d && d == Math.Floor(d);
        bool IsString() => valueKind == JsonValueKind.String;
        bool IsBool() => valueKind is JsonValueKind.True or JsonValueKind.False;
        bool IsNull() => valueKind == JsonValueKind.Null;
        bool IsStringArray(bool nonEmptyItems) => value is JsonArray a && a.All(i => i?.GetValueKind() == JsonValueKind.String && (!nonEmptyItems || i.GetValue<string>().Length > 0));

        return kind switch
        {
            Kind.Column => IsString() && value!.GetValue<string>().Length > 0 ? null : "a non-empty column name",
            Kind.Columns => IsStringArray(true) && ((JsonArray)value!).Count > 0 ? null : "a non-empty list of column names",
            Kind.ColumnsOrNull => IsNull() || IsStringArray(true) ? null : "a list of column names or null",
            Kind.Number => IsNumber() ? null : "a number",
            Kind.NumberOrNull => IsNumber() || IsNull() ? null : "a number or null",
            Kind.Integer => IsInteger() ? null : "an integer",
            Kind.IntegerOrNull => IsInteger() || IsNull() ? null : "an integer or null",
            Kind.Bool => IsBool() || IsNull() ? null : "true or false",
            Kind.String => IsString() ? null : "a string",
            Kind.Strings => IsStringArray(false) ? null : "a list of strings",
            Kind.StringsOrNull => IsNull() || IsStringArray(false) ? null : "a list of strings or null",
            Kind.ValueSet => IsNull() || (value is JsonArray set && set.All(i => i is null || i is JsonValue)) ? null : "a list of values (strings, numbers, booleans) or null",
            Kind.Comparable => IsNumber() || IsString() || IsNull() ? null : "a number, a string (text or ISO date) or null",
            Kind.Mostly => IsNumber() && value!.GetValue<double>() is >= 0 and <= 1 ? null : "a number between 0 and 1",
            Kind.MatchOn => IsNull() || (IsString() && value!.GetValue<string>() is "any" or "all") ? null : "'any' or 'all'",
            Kind.PairIgnore => IsString() && value!.GetValue<string>() is "both_values_are_missing" or "either_value_is_missing" or "neither" ? null : "one of 'both_values_are_missing', 'either_value_is_missing', 'neither'",
            Kind.MultiIgnore => IsString() && value!.GetValue<string>() is "all_values_are_missing" or "any_value_is_missing" or "never" ? null : "one of 'all_values_are_missing', 'any_value_is_missing', 'never'",
            Kind.QuantileRanges => QuantileRule(value),
            Kind.RelativeError => IsBool() || IsNull() || (IsString() && value!.GetValue<string>() is "linear" or "lower" or "higher" or "midpoint" or "nearest") ? null : "a boolean or one of 'linear', 'lower', 'higher', 'midpoint', 'nearest'",
            _ => null,
        };
    }

    private static string? QuantileRule(JsonNode? value)
    {
        const string Rule = "an object {\"quantiles\": [numbers in 0..1], \"value_ranges\": [[min or null, max or null], ...]} with one range per quantile";
        if (value is not JsonObject o || o["quantiles"] is not JsonArray q || o["value_ranges"] is not JsonArray r || q.Count != r.Count)
        {
            return Rule;
        }

        var quantilesOk = q.All(x => x?.GetValueKind() == JsonValueKind.Number && x.GetValue<double>() is >= 0 and <= 1);
        var rangesOk = r.All(x => x is JsonArray pair && pair.Count == 2 && pair.All(b => b is null || b.GetValueKind() == JsonValueKind.Number));
        return quantilesOk && rangesOk ? null : Rule;
    }
}
